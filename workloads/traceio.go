package workloads

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
)

// Limits of the trace readers; memory stays within a few of these whatever
// the file's size.
const (
	maxLineBytes  = 1 << 20  // longest line of a line-oriented file (timestamps, CSV counts)
	maxTokenBytes = 1 << 10  // longest value of a whitespace-separated counts file
	readBufBytes  = 64 << 10 // read buffer, before and after decompression
)

// traceInput is an open trace file, decompressed when it starts with the
// gzip magic bytes, read one line or one token at a time. line counts the
// lines read so far, for messages. Read ahead, it reads lines only.
type traceInput struct {
	file string
	rc   io.ReadCloser
	gz   *gzip.Reader
	br   *bufio.Reader // nil when read ahead
	rd   *blockReader  // the read-ahead, when there is one
	line int
	buf  []byte // assembles lines and tokens that span reads
}

// openInput opens a trace through open and sets up decompression. The
// package never opens files itself: the caller says how, through open.
// With ahead, a goroutine reads and decompresses the file ahead of the
// reading (readahead.go); use it for files read through, line by line.
func openInput(path string, open func() (io.ReadCloser, error), ahead bool) (*traceInput, error) {
	var rc io.ReadCloser
	var err error
	if open != nil {
		rc, err = open()
	} else {
		err = errors.New("no way to open it was given (TraceConfig.Open is nil)")
	}
	if err == nil && rc == nil {
		err = errors.New("no reader")
	}
	if err != nil {
		msg := err.Error()
		var pe *fs.PathError
		if errors.As(err, &pe) {
			msg = pe.Err.Error()
		}
		return nil, &TraceError{File: path, Msg: "cannot open the trace: " + msg,
			Hint: "check the path (a relative path is relative to the scenario file)", Err: err}
	}
	in := &traceInput{file: path, rc: rc}
	raw := bufio.NewReaderSize(rc, readBufBytes)
	var src io.Reader = raw
	if magic, _ := raw.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		gz, err := gzip.NewReader(raw)
		if err != nil {
			_ = rc.Close()
			return nil, &TraceError{File: path, Msg: "corrupt or truncated gzip data: " + err.Error(),
				Hint: "check the file with gzip -t, or download it again", Err: err}
		}
		in.gz, src = gz, gz
	}
	switch {
	case ahead:
		in.rd = newBlockReader(src)
		return in, nil // readAheadLine drops a byte-order mark
	case in.gz != nil:
		in.br = bufio.NewReaderSize(in.gz, readBufBytes)
	default:
		in.br = raw
	}
	if bom, _ := in.br.Peek(3); bytes.Equal(bom, utf8BOM) {
		_, _ = in.br.Discard(3)
	}
	return in, nil
}

// Close closes the file; it is safe to call more than once.
func (in *traceInput) Close() error {
	if in == nil || in.rc == nil {
		return nil
	}
	if in.rd != nil {
		in.rd.Close()
	}
	err := in.rc.Close()
	in.rc = nil
	return err
}

// fail builds a TraceError at line.
func (in *traceInput) fail(line int, hint, format string, args ...any) *TraceError {
	return &TraceError{File: in.file, Line: line, Msg: fmt.Sprintf(format, args...), Hint: hint}
}

// readErr turns a read error into a TraceError at the current line.
func (in *traceInput) readErr(err error) *TraceError {
	if in.gz != nil {
		return &TraceError{File: in.file, Line: in.line + 1, Msg: "corrupt or truncated gzip data: " + err.Error(),
			Hint: "check the file with gzip -t, or download it again", Err: err}
	}
	return &TraceError{File: in.file, Line: in.line + 1, Msg: "read error: " + err.Error(), Err: err}
}

var utf8BOM = []byte("\xef\xbb\xbf")

// errLongLine is the message for a line over maxLineBytes.
func (in *traceInput) errLongLine() *TraceError {
	return in.fail(in.line+1, "a trace needs one record per line; is the format right?",
		"line longer than %d bytes", maxLineBytes)
}

// readLine returns the next line without its line ending (LF or CRLF; the
// last line may lack one) and its number. The bytes are valid until the
// next read. At the end it returns io.EOF.
func (in *traceInput) readLine() ([]byte, int, error) {
	if in.rd != nil {
		return in.readAheadLine()
	}
	in.buf = in.buf[:0]
	for {
		chunk, err := in.br.ReadSlice('\n')
		switch err {
		case bufio.ErrBufferFull:
			if err := in.grow(chunk); err != nil {
				return nil, in.line + 1, err
			}
			continue
		case nil, io.EOF:
			if err == io.EOF && len(chunk) == 0 && len(in.buf) == 0 {
				return nil, in.line, io.EOF
			}
			return in.finish(chunk)
		default:
			return nil, in.line + 1, in.readErr(err)
		}
	}
}

// readAheadLine is readLine on a file read ahead.
func (in *traceInput) readAheadLine() ([]byte, int, error) {
	in.buf = in.buf[:0]
	for {
		chunk, more, err := in.rd.slice('\n')
		switch {
		case more:
			if err := in.grow(chunk); err != nil {
				return nil, in.line + 1, err
			}
			continue
		case err != nil && err != io.EOF:
			return nil, in.line + 1, in.readErr(err)
		case err == io.EOF && len(chunk) == 0 && len(in.buf) == 0:
			return nil, in.line, io.EOF
		}
		line, n, err := in.finish(chunk)
		if n == 1 && err == nil {
			line = bytes.TrimPrefix(line, utf8BOM) // openInput drops it otherwise
		}
		return line, n, err
	}
}

// grow keeps the first pieces of a line that spans reads.
func (in *traceInput) grow(chunk []byte) error {
	in.buf = append(in.buf, chunk...)
	if len(in.buf) > maxLineBytes+1 {
		return in.errLongLine()
	}
	return nil
}

// finish returns a line, given its last piece, without its line ending.
func (in *traceInput) finish(chunk []byte) ([]byte, int, error) {
	line := chunk
	if len(in.buf) > 0 {
		in.buf = append(in.buf, chunk...)
		line = in.buf
	}
	line = trimEOL(line)
	if len(line) > maxLineBytes {
		return nil, in.line + 1, in.errLongLine()
	}
	in.line++
	return line, in.line, nil
}

// trimEOL drops a trailing "\n" or "\r\n".
func trimEOL(b []byte) []byte {
	if n := len(b); n > 0 && b[n-1] == '\n' {
		b = b[:n-1]
	}
	if n := len(b); n > 0 && b[n-1] == '\r' {
		b = b[:n-1]
	}
	return b
}

// readToken returns the next value of a file of numbers separated by
// whitespace or commas, on any number of lines (one line may hold the whole
// file), and the line it is on. The bytes are valid until the next read. At
// the end it returns io.EOF.
func (in *traceInput) readToken() ([]byte, int, error) {
	for {
		c, err := in.br.ReadByte()
		if err == io.EOF {
			return nil, in.line, io.EOF
		}
		if err != nil {
			return nil, in.line + 1, in.readErr(err)
		}
		if c == '\n' {
			in.line++
			continue
		}
		if !isSep(c) {
			in.buf = append(in.buf[:0], c)
			break
		}
	}
	line := in.line + 1
	for {
		c, err := in.br.ReadByte()
		if err == io.EOF {
			return in.buf, line, nil
		}
		if err != nil {
			return nil, line, in.readErr(err)
		}
		if c == '\n' {
			in.line++
			return in.buf, line, nil
		}
		if isSep(c) {
			return in.buf, line, nil
		}
		if len(in.buf) >= maxTokenBytes {
			return nil, line, in.fail(line, "counts must be numbers separated by spaces, commas or newlines",
				"value longer than %d bytes", maxTokenBytes)
		}
		in.buf = append(in.buf, c)
	}
}

// isSep reports whether c separates values in a whitespace-separated file.
func isSep(c byte) bool {
	switch c {
	case ' ', '\t', '\r', '\v', '\f', ',':
		return true
	}
	return false
}

// firstLineHasComma reports whether the first non-blank line in the read
// buffer holds a comma, which makes a counts file a CSV table. It does not
// consume input.
func (in *traceInput) firstLineHasComma() bool {
	head, _ := in.br.Peek(readBufBytes)
	for len(head) > 0 {
		line := head
		if i := bytes.IndexByte(head, '\n'); i >= 0 {
			line, head = head[:i], head[i+1:]
		} else {
			head = nil
		}
		if !isBlank(line) {
			return bytes.IndexByte(line, ',') >= 0
		}
	}
	return false
}

// isBlank reports whether a line holds nothing but spaces or a comment
// starting with '#'.
func isBlank(line []byte) bool {
	line = bytes.TrimSpace(line)
	return len(line) == 0 || line[0] == '#'
}

// splitFields splits a CSV line on commas outside double quotes, trimming
// spaces and surrounding quotes from each field. It reuses dst.
func splitFields(dst [][]byte, line []byte) [][]byte {
	dst = dst[:0]
	start, quoted := 0, false
	for i, c := range line {
		switch {
		case c == '"':
			quoted = !quoted
		case c == ',' && !quoted:
			dst = append(dst, cleanField(line[start:i]))
			start = i + 1
		}
	}
	return append(dst, cleanField(line[start:]))
}

func cleanField(b []byte) []byte {
	b = bytes.TrimSpace(b)
	if n := len(b); n >= 2 && b[0] == '"' && b[n-1] == '"' {
		b = bytes.TrimSpace(b[1 : n-1])
	}
	return b
}

// isName reports whether a field looks like a column name rather than a
// malformed value: it starts with a letter or an underscore.
func isName(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	c := b[0]
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c >= 0x80
}

// columnNames lists a header's fields for a hint.
func columnNames(fields [][]byte) string {
	var b bytes.Buffer
	for i, f := range fields {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%q", f)
	}
	return b.String()
}

// findColumn returns the index of the header field equal to name (exactly,
// or else ignoring case), or -1.
func findColumn(fields [][]byte, name string) int {
	for i, f := range fields {
		if string(f) == name {
			return i
		}
	}
	for i, f := range fields {
		if bytes.EqualFold(f, []byte(name)) {
			return i
		}
	}
	return -1
}
