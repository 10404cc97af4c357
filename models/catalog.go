package models

import (
	"bufio"
	"cmp"
	_ "embed" // the default catalog is embedded
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
)

// InstanceType is one EC2 instance type as the simulator knows it.
type InstanceType struct {
	Name         string  // e.g. "m5.xlarge"
	Family       string  // e.g. "m5"
	VCPUs        int     // virtual CPUs
	MemoryGiB    float64 // memory
	GPUs         int     // accelerators; 0 for CPU types
	GPUModel     string  // e.g. "NVIDIA T4"; empty for CPU types
	PriceUSDHour float64 // us-east-1 on-demand Linux price per hour
}

// catalogCSV is the built-in catalog; its header comments name the source
// and the date of the prices.
//
//go:embed catalog.csv
var catalogCSV string

// catalogHeader is the column line every catalog file starts with (after
// comments).
const catalogHeader = "name,family,vcpus,memory_gib,gpus,gpu_model,price_usd_hour"

// Limits on a catalog file, checked while parsing.
const (
	catalogMaxTypes   = 10000  // instance types
	catalogMaxLineLen = 4096   // bytes per line
	catalogMaxVCPUs   = 100000 // per instance type
	catalogMaxGPUs    = 1024   // per instance type
)

// CatalogError is a problem at one line of a catalog file.
type CatalogError struct {
	Line int    // 1-based line number; 0 when the problem is the whole file
	Msg  string // what is wrong and, where useful, what to change
}

// Error renders the problem as "catalog line N: msg".
func (e *CatalogError) Error() string {
	if e.Line == 0 {
		return "catalog: " + e.Msg
	}
	return fmt.Sprintf("catalog line %d: %s", e.Line, e.Msg)
}

// Catalog is an immutable set of instance types. Build one with
// DefaultCatalog or ParseCatalog.
type Catalog struct {
	types  []InstanceType // family order as in the file, then vCPUs ascending
	byName map[string]int // name -> index in types
	source string
	date   string
}

// DefaultCatalog parses the built-in catalog (the embedded catalog.csv:
// us-east-1 on-demand Linux prices). Each call returns a fresh Catalog.
func DefaultCatalog() (*Catalog, error) {
	c, err := ParseCatalog(strings.NewReader(catalogCSV))
	if err != nil {
		return nil, fmt.Errorf("built-in catalog: %w", err)
	}
	return c, nil
}

// ParseCatalog reads a catalog in the catalog.csv format: lines starting
// with '#' are comments ("# source: ..." and "# date: ..." set Source and
// Date), blank lines are skipped, the first other line is the header
// "name,family,vcpus,memory_gib,gpus,gpu_model,price_usd_hour" and each
// further line is one instance type. Fields are separated by commas and may
// not be quoted. Errors are *CatalogError values with the line number.
func ParseCatalog(r io.Reader) (*Catalog, error) {
	c := &Catalog{byName: make(map[string]int)}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 256), catalogMaxLineLen)
	line, header := 0, false
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		switch {
		case text == "":
			continue
		case strings.HasPrefix(text, "#"):
			c.readComment(text)
			continue
		case !header:
			if text != catalogHeader {
				return nil, &CatalogError{Line: line, Msg: fmt.Sprintf("header %q: want %q", text, catalogHeader)}
			}
			header = true
			continue
		}
		it, err := parseCatalogRow(text)
		if err != nil {
			return nil, &CatalogError{Line: line, Msg: err.Error()}
		}
		if _, dup := c.byName[it.Name]; dup {
			return nil, &CatalogError{Line: line, Msg: fmt.Sprintf("instance type %q listed twice", it.Name)}
		}
		if len(c.types) == catalogMaxTypes {
			return nil, &CatalogError{Line: line, Msg: fmt.Sprintf("more than %d instance types", catalogMaxTypes)}
		}
		c.byName[it.Name] = len(c.types)
		c.types = append(c.types, it)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, &CatalogError{Line: line + 1, Msg: fmt.Sprintf("line longer than %d bytes", catalogMaxLineLen)}
		}
		return nil, fmt.Errorf("catalog: read: %w", err)
	}
	if len(c.types) == 0 {
		return nil, &CatalogError{Msg: "no instance types (want the header line and at least one row)"}
	}
	c.sortTypes()
	return c, nil
}

// readComment records the "source:" and "date:" header comments.
func (c *Catalog) readComment(text string) {
	body := strings.TrimSpace(strings.TrimPrefix(text, "#"))
	if v, ok := strings.CutPrefix(body, "source:"); ok && c.source == "" {
		c.source = strings.TrimSpace(v)
	}
	if v, ok := strings.CutPrefix(body, "date:"); ok && c.date == "" {
		c.date = strings.TrimSpace(v)
	}
}

// parseCatalogRow parses and checks one data line.
func parseCatalogRow(text string) (InstanceType, error) {
	var it InstanceType
	if strings.ContainsRune(text, '"') {
		return it, errors.New("quoted fields are not supported")
	}
	f := strings.Split(text, ",")
	if len(f) != 7 {
		return it, fmt.Errorf("%d fields, want 7 (%s)", len(f), catalogHeader)
	}
	for i := range f {
		f[i] = strings.TrimSpace(f[i])
	}
	it.Name, it.Family, it.GPUModel = f[0], f[1], f[5]
	if it.Name == "" || it.Family == "" {
		return it, errors.New("name and family must not be empty")
	}
	if !strings.HasPrefix(it.Name, it.Family+".") || len(it.Name) == len(it.Family)+1 {
		return it, fmt.Errorf("name %q must be the family %q, a dot and a size, like %s.xlarge", it.Name, it.Family, it.Family)
	}
	var err error
	if it.VCPUs, err = parseCatalogInt("vcpus", f[2], 1, catalogMaxVCPUs); err != nil {
		return it, err
	}
	if it.MemoryGiB, err = parseCatalogFloat("memory_gib", f[3]); err != nil {
		return it, err
	}
	if it.GPUs, err = parseCatalogInt("gpus", f[4], 0, catalogMaxGPUs); err != nil {
		return it, err
	}
	if it.PriceUSDHour, err = parseCatalogFloat("price_usd_hour", f[6]); err != nil {
		return it, err
	}
	if (it.GPUs == 0) != (it.GPUModel == "") {
		return it, fmt.Errorf("gpu_model %q with gpus %d: give a model exactly when gpus > 0", it.GPUModel, it.GPUs)
	}
	return it, nil
}

func parseCatalogInt(field, s string, lo, hi int) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("%s: %q is not a whole number", field, s)
	}
	if n < lo || n > hi {
		return 0, fmt.Errorf("%s: %d out of range [%d, %d]", field, n, lo, hi)
	}
	return n, nil
}

// parseCatalogFloat parses a positive, finite number.
func parseCatalogFloat(field, s string) (float64, error) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("%s: %q is not a number", field, s)
	}
	if !(v > 0) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%s: must be a positive finite number (got %s)", field, s)
	}
	return v, nil
}

// sortTypes puts the types in the catalog's one order, by family name,
// then by size: vCPUs, memory, GPUs, then name; and rebuilds the name
// index.
func (c *Catalog) sortTypes() {
	slices.SortStableFunc(c.types, func(a, b InstanceType) int {
		return cmp.Or(
			cmp.Compare(a.Family, b.Family),
			cmp.Compare(a.VCPUs, b.VCPUs),
			cmp.Compare(a.MemoryGiB, b.MemoryGiB),
			cmp.Compare(a.GPUs, b.GPUs),
			cmp.Compare(a.Name, b.Name),
		)
	})
	for i, it := range c.types {
		c.byName[it.Name] = i
	}
}

// Lookup returns the instance type called name (exact, case-sensitive).
func (c *Catalog) Lookup(name string) (InstanceType, bool) {
	i, ok := c.byName[name]
	if !ok {
		return InstanceType{}, false
	}
	return c.types[i], true
}

// Types returns a copy of every instance type: families by name, each
// family's sizes by ascending vCPUs (then memory, GPUs and name).
func (c *Catalog) Types() []InstanceType {
	return append([]InstanceType(nil), c.types...)
}

// Family returns a copy of the family's instance types by ascending vCPUs,
// or nil if the family is unknown.
func (c *Catalog) Family(family string) []InstanceType {
	var out []InstanceType
	for _, it := range c.types {
		if it.Family == family {
			out = append(out, it)
		}
	}
	return out
}

// Families returns the family names, sorted.
func (c *Catalog) Families() []string {
	var out []string
	for i, it := range c.types {
		if i == 0 || it.Family != c.types[i-1].Family {
			out = append(out, it.Family)
		}
	}
	return out
}

// Select returns the instance types of the given families, in the
// catalog's order, or every type when none is given. An unknown family is
// an error that lists the known ones.
func (c *Catalog) Select(families []string) ([]InstanceType, error) {
	known := c.Families()
	want := map[string]bool{}
	for _, f := range families {
		f = strings.TrimSpace(f)
		if !slices.Contains(known, f) {
			return nil, fmt.Errorf("no instance family %q in the catalog; families: %s", f, strings.Join(known, ", "))
		}
		want[f] = true
	}
	var out []InstanceType
	for _, t := range c.types {
		if len(want) == 0 || want[t.Family] {
			out = append(out, t)
		}
	}
	return out, nil
}

// Source returns the "# source:" header comment: where the figures come
// from. It is empty if the file has none.
func (c *Catalog) Source() string { return c.source }

// Date returns the "# date:" header comment: when the prices were taken.
// It is empty if the file has none.
func (c *Catalog) Date() string { return c.date }

// Suggest returns the known name closest to name by edit distance
// (case-insensitive), for a "did you mean" hint, or "" if no name is close:
// at most 1 edit, plus 1 more for names of 5 characters or longer. Ties go to
// the earlier type in Types order.
func (c *Catalog) Suggest(name string) string {
	want := strings.ToLower(strings.TrimSpace(name))
	if want == "" {
		return ""
	}
	limit := min(2, 1+len(want)/5)
	best, bestDist := "", limit+1
	for _, it := range c.types {
		if d := editDistance(want, strings.ToLower(it.Name)); d < bestDist {
			best, bestDist = it.Name, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
