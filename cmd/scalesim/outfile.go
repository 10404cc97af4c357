package main

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// outFile is a file a command writes whole or not at all: the bytes go to
// a temporary file beside it (buffered, and gzipped when asked and the
// name ends in .gz), which commit renames into place with mode 0644.
// abort, or a commit that fails, removes it, so a failed command leaves no
// partial file and a reader never sees one. A name that is not a regular
// file (/dev/stdout, a named pipe) is written directly.
type outFile struct {
	flag, name string // the flag that named it, for messages
	tmp        *os.File
	direct     bool // tmp is the file itself
	buf        *bufio.Writer
	gz         *gzip.Writer
	w          io.Writer
	done       bool
}

// createOut starts writing the file name, given by flag, creating its
// directory if need be; gz gzips it when the name ends in .gz.
func createOut(flag, name string, gz bool) (*outFile, error) {
	f := &outFile{flag: flag, name: name}
	var err error
	if st, serr := os.Stat(name); serr == nil && !st.Mode().IsRegular() && !st.IsDir() {
		f.direct = true
		f.tmp, err = os.OpenFile(name, os.O_WRONLY, 0)
	} else if err = os.MkdirAll(filepath.Dir(name), 0o755); err == nil {
		f.tmp, err = os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".*.tmp")
	}
	if err != nil {
		return nil, &inputError{fmt.Errorf("%s %s: %w", flag, name, err)}
	}
	f.buf = bufio.NewWriterSize(f.tmp, 64<<10)
	f.w = f.buf
	if gz && strings.HasSuffix(name, ".gz") {
		f.gz = gzip.NewWriter(f.buf)
		f.w = f.gz
	}
	return f, nil
}

// Write implements io.Writer.
func (f *outFile) Write(p []byte) (int, error) { return f.w.Write(p) }

// commit finishes the file and puts it in place.
func (f *outFile) commit() error {
	f.done = true
	var err error
	if f.gz != nil {
		err = f.gz.Close()
	}
	steps := []func() error{f.buf.Flush, func() error { return f.tmp.Chmod(0o644) }, f.tmp.Close,
		func() error { return os.Rename(f.tmp.Name(), f.name) }}
	if f.direct {
		steps = []func() error{f.buf.Flush, f.tmp.Close}
	}
	for _, step := range steps {
		if err == nil {
			err = step()
		}
	}
	if err != nil {
		f.discard()
		return fmt.Errorf("%s %s: %w", f.flag, f.name, err)
	}
	return nil
}

// discard closes the file and removes it unless it is written directly.
func (f *outFile) discard() {
	_ = f.tmp.Close()
	if !f.direct {
		_ = os.Remove(f.tmp.Name())
	}
}

// abort removes the file unless it was committed.
func (f *outFile) abort() {
	if !f.done {
		f.discard()
	}
}

// writeOut writes data to the file name, given by flag, whole or not at
// all.
func writeOut(flag, name string, data []byte) error {
	f, err := createOut(flag, name, false)
	if err != nil {
		return err
	}
	defer f.abort()
	if _, err := f.Write(data); err != nil {
		return fmt.Errorf("%s %s: %w", flag, name, err)
	}
	return f.commit()
}
