package records

import (
	"bytes"
	"fmt"
	"io"
)

// Format is one shape of record file: its name, what it holds, the AWS
// CLI command that prints it, its reader and its writer. Formats lists
// them all; the rest of the module reads that list and never names a
// format.
type Format struct {
	// Name is the format's name on the command line.
	Name string
	// Summary says in a few words what a file of the format holds, for
	// help texts.
	Summary string
	// Command is the AWS CLI command that prints a file of the format,
	// for help texts; capitals stand for what the user fills in.
	Command string

	// read merges the decoded file into rec, or leaves rec as it was and
	// returns an *InputError.
	read func(in *input, rec *Record) error
	// write writes rec's part of the format.
	write func(w io.Writer, rec *Record) error
}

// Formats returns the record formats, in the order help texts list them.
func Formats() []Format {
	return []Format{activitiesFormat(), metricsFormat()}
}

// LookupFormat returns the format called name.
func LookupFormat(name string) (Format, bool) {
	for _, f := range Formats() {
		if f.Name == name {
			return f, true
		}
	}
	return Format{}, false
}

// maxInputBytes bounds a record file, which is decoded whole.
const maxInputBytes = 64 << 20

// Read reads one file of the format from r and merges it into rec: it may
// be called for several files (the pages of an export, or several
// exports) and rec then holds them all, activities oldest first without
// repeats and one series per metric. file names the input in messages.
// On error rec is left as it was and the error is an *InputError.
func (f Format) Read(file string, r io.Reader, rec *Record) error {
	if f.read == nil {
		return &InputError{File: file, Msg: "no record format given", Hint: "name a format: activities or metrics"}
	}
	data, err := io.ReadAll(io.LimitReader(r, maxInputBytes+1))
	if err != nil {
		return &InputError{File: file, Msg: "read error: " + err.Error(), Err: err}
	}
	if len(data) > maxInputBytes {
		return &InputError{File: file, Msg: fmt.Sprintf("the file is larger than %d MiB", maxInputBytes>>20),
			Hint: "export a shorter time range and read the parts as several files"}
	}
	in := &input{file: file, data: data, hint: f.hint()}
	if len(bytes.TrimSpace(data)) == 0 {
		return in.fail(0, "the file is empty; not the JSON of %s", f.Command)
	}
	return f.read(in, rec)
}

// Write writes rec's part of the format in the shape the AWS CLI prints:
// JSON indented by four spaces (the CLI's json.dumps(indent=4)), the
// same bytes for the same record.
func (f Format) Write(w io.Writer, rec *Record) error {
	if f.write == nil {
		return fmt.Errorf("no record format given")
	}
	return f.write(w, rec)
}

// hint is the fix for a file that is not of the format at all.
func (f Format) hint() string {
	return "export it with: " + f.Command
}
