package models

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func defaultCatalog(t testing.TB) *Catalog {
	t.Helper()
	c, err := DefaultCatalog()
	if err != nil {
		t.Fatalf("DefaultCatalog: %v", err)
	}
	return c
}

// TestCatalogFamilies checks that every family the issue asks for is present
// from its smallest listed size to its largest, with the family ceiling of
// docs/aws-behaviour.md 4.2 ("per-family ceiling of one VM").
func TestCatalogFamilies(t *testing.T) {
	c := defaultCatalog(t)
	tests := []struct {
		family, smallest, largest string
		sizes, maxVCPUs           int
	}{
		{"m5", "m5.large", "m5.24xlarge", 8, 96},
		{"m6i", "m6i.large", "m6i.32xlarge", 9, 128},
		{"m7i", "m7i.large", "m7i.48xlarge", 9, 192},
		{"c5", "c5.large", "c5.24xlarge", 8, 96},
		{"c6i", "c6i.large", "c6i.32xlarge", 9, 128},
		{"c7i", "c7i.large", "c7i.48xlarge", 9, 192},
		{"r5", "r5.large", "r5.24xlarge", 8, 96},
		{"g4dn", "g4dn.xlarge", "g4dn.metal", 7, 96},
		{"g5", "g5.xlarge", "g5.48xlarge", 8, 192},
	}
	var wantFamilies []string
	total := 0
	for _, tt := range tests {
		wantFamilies = append(wantFamilies, tt.family)
		slices.Sort(wantFamilies)
		total += tt.sizes
		got := c.Family(tt.family)
		if len(got) != tt.sizes {
			t.Errorf("Family(%q): %d sizes, want %d", tt.family, len(got), tt.sizes)
			continue
		}
		if got[0].Name != tt.smallest || got[len(got)-1].Name != tt.largest {
			t.Errorf("Family(%q) runs %s..%s, want %s..%s", tt.family, got[0].Name, got[len(got)-1].Name, tt.smallest, tt.largest)
		}
		if v := got[len(got)-1].VCPUs; v != tt.maxVCPUs {
			t.Errorf("%s: %d vCPUs, want the family ceiling %d", tt.largest, v, tt.maxVCPUs)
		}
		for i := 1; i < len(got); i++ {
			if got[i].VCPUs <= got[i-1].VCPUs {
				t.Errorf("Family(%q): %s (%d vCPU) after %s (%d vCPU), want ascending", tt.family, got[i].Name, got[i].VCPUs, got[i-1].Name, got[i-1].VCPUs)
			}
		}
	}
	if got := strings.Join(c.Families(), ","); got != strings.Join(wantFamilies, ",") {
		t.Errorf("Families() = %s, want %s", got, strings.Join(wantFamilies, ","))
	}
	if n := len(c.Types()); n != total {
		t.Errorf("len(Types()) = %d, want %d", n, total)
	}
	if c.Family("x9") != nil {
		t.Errorf("Family(unknown) is not nil")
	}
}

// TestCatalogRows checks every row's invariants and the catalog-wide order.
func TestCatalogRows(t *testing.T) {
	c := defaultCatalog(t)
	types := c.Types()
	var order []string
	for _, f := range c.Families() {
		for _, it := range c.Family(f) {
			order = append(order, it.Name)
		}
	}
	for i, it := range types {
		if it.Name != order[i] {
			t.Fatalf("Types()[%d] = %s, want %s (families by name, then vCPUs)", i, it.Name, order[i])
		}
		if !(it.PriceUSDHour > 0) || !(it.MemoryGiB > 0) || it.VCPUs <= 0 {
			t.Errorf("%s: price %v, memory %v, vCPUs %d; want all positive", it.Name, it.PriceUSDHour, it.MemoryGiB, it.VCPUs)
		}
		if !strings.HasPrefix(it.Name, it.Family+".") {
			t.Errorf("%s: family %q is not its prefix", it.Name, it.Family)
		}
		gpuFamily := it.Family == "g4dn" || it.Family == "g5"
		if gpuFamily != (it.GPUs > 0) || (it.GPUs > 0) != (it.GPUModel != "") {
			t.Errorf("%s: %d GPUs, model %q", it.Name, it.GPUs, it.GPUModel)
		}
		got, ok := c.Lookup(it.Name)
		if !ok || got != it {
			t.Errorf("Lookup(%q) = %+v, %v; want %+v", it.Name, got, ok, it)
		}
	}
	types[0].PriceUSDHour = -1 // Types returns a copy
	if it, _ := c.Lookup(types[0].Name); it.PriceUSDHour < 0 {
		t.Errorf("mutating Types() changed the catalog")
	}
	if _, ok := c.Lookup("M5.XLARGE"); ok {
		t.Errorf("Lookup is case-insensitive; want exact names")
	}
}

// TestCatalogFactSheet spot-checks rows against docs/aws-behaviour.md 4.2 (and,
// for r5, the Karpenter price file named in the CSV header).
func TestCatalogFactSheet(t *testing.T) {
	c := defaultCatalog(t)
	tests := []InstanceType{
		// Reference: docs/aws-behaviour.md 4.2, m5 row.
		{Name: "m5.large", Family: "m5", VCPUs: 2, MemoryGiB: 8, PriceUSDHour: 0.096},
		{Name: "m5.xlarge", Family: "m5", VCPUs: 4, MemoryGiB: 16, PriceUSDHour: 0.192},
		{Name: "m5.24xlarge", Family: "m5", VCPUs: 96, MemoryGiB: 384, PriceUSDHour: 4.608},
		// Reference: docs/aws-behaviour.md 4.2, m6i "same ladder as m5; 6.144 for 32xl".
		{Name: "m6i.12xlarge", Family: "m6i", VCPUs: 48, MemoryGiB: 192, PriceUSDHour: 2.304},
		{Name: "m6i.32xlarge", Family: "m6i", VCPUs: 128, MemoryGiB: 512, PriceUSDHour: 6.144},
		// Reference: docs/aws-behaviour.md 4.2, m7i, c5, c6i, c7i rows.
		{Name: "m7i.48xlarge", Family: "m7i", VCPUs: 192, MemoryGiB: 768, PriceUSDHour: 9.6768},
		{Name: "c5.9xlarge", Family: "c5", VCPUs: 36, MemoryGiB: 72, PriceUSDHour: 1.53},
		{Name: "c5.24xlarge", Family: "c5", VCPUs: 96, MemoryGiB: 192, PriceUSDHour: 4.08},
		{Name: "c6i.32xlarge", Family: "c6i", VCPUs: 128, MemoryGiB: 256, PriceUSDHour: 5.44},
		{Name: "c7i.large", Family: "c7i", VCPUs: 2, MemoryGiB: 4, PriceUSDHour: 0.08925},
		{Name: "c7i.48xlarge", Family: "c7i", VCPUs: 192, MemoryGiB: 384, PriceUSDHour: 8.568},
		// Reference: docs/aws-behaviour.md 4.2, GPU rows and "GPUs per size".
		{Name: "g4dn.xlarge", Family: "g4dn", VCPUs: 4, MemoryGiB: 16, GPUs: 1, GPUModel: "NVIDIA T4", PriceUSDHour: 0.526},
		{Name: "g4dn.12xlarge", Family: "g4dn", VCPUs: 48, MemoryGiB: 192, GPUs: 4, GPUModel: "NVIDIA T4", PriceUSDHour: 3.912},
		{Name: "g4dn.metal", Family: "g4dn", VCPUs: 96, MemoryGiB: 384, GPUs: 8, GPUModel: "NVIDIA T4", PriceUSDHour: 7.824},
		{Name: "g5.12xlarge", Family: "g5", VCPUs: 48, MemoryGiB: 192, GPUs: 4, GPUModel: "NVIDIA A10G", PriceUSDHour: 5.672},
		{Name: "g5.16xlarge", Family: "g5", VCPUs: 64, MemoryGiB: 256, GPUs: 1, GPUModel: "NVIDIA A10G", PriceUSDHour: 4.096},
		{Name: "g5.24xlarge", Family: "g5", VCPUs: 96, MemoryGiB: 384, GPUs: 4, GPUModel: "NVIDIA A10G", PriceUSDHour: 8.144},
		{Name: "g5.48xlarge", Family: "g5", VCPUs: 192, MemoryGiB: 768, GPUs: 8, GPUModel: "NVIDIA A10G", PriceUSDHour: 16.288},
		// Reference: aws/karpenter-provider-aws zz_generated.pricing_aws.go (2026-01-19), r5 family.
		{Name: "r5.large", Family: "r5", VCPUs: 2, MemoryGiB: 16, PriceUSDHour: 0.126},
		{Name: "r5.24xlarge", Family: "r5", VCPUs: 96, MemoryGiB: 768, PriceUSDHour: 6.048},
	}
	for _, want := range tests {
		got, ok := c.Lookup(want.Name)
		if !ok {
			t.Errorf("Lookup(%q): not found", want.Name)
			continue
		}
		if got != want {
			t.Errorf("Lookup(%q)\n got %+v\nwant %+v", want.Name, got, want)
		}
	}
}

// TestCatalogPriceLadders checks that the CPU families' prices grow in
// proportion to vCPUs (the ladders of docs/aws-behaviour.md §4.2 are linear), which catches a
// mistyped digit in any row.
func TestCatalogPriceLadders(t *testing.T) {
	c := defaultCatalog(t)
	for _, f := range []string{"m5", "m6i", "m7i", "c5", "c6i", "c7i", "r5"} {
		types := c.Family(f)
		perVCPU := types[0].PriceUSDHour / float64(types[0].VCPUs)
		for _, it := range types {
			want := perVCPU * float64(it.VCPUs)
			if d := it.PriceUSDHour - want; d > 1e-9 || d < -1e-9 {
				t.Errorf("%s: %v $/h, want %v (%v $/h per vCPU like %s)", it.Name, it.PriceUSDHour, want, perVCPU, types[0].Name)
			}
		}
	}
}

func TestCatalogSourceAndDate(t *testing.T) {
	c := defaultCatalog(t)
	if !strings.Contains(c.Source(), "karpenter-provider-aws") {
		t.Errorf("Source() = %q, want it to name the Karpenter price file", c.Source())
	}
	if c.Date() != "2026-01-19" {
		t.Errorf("Date() = %q, want 2026-01-19", c.Date())
	}
}

func TestCatalogSuggest(t *testing.T) {
	c := defaultCatalog(t)
	tests := []struct{ in, want string }{
		{"m5.xlarg", "m5.xlarge"},
		{"m5.xlarge", "m5.xlarge"},
		{"M5.XLARGE", "m5.xlarge"},
		{"m5.xlagre", "m5.xlarge"},
		{"c7i.48xl", ""}, // 4 edits from c7i.48xlarge: too far
		{"m5.x", ""},
		{"m5.larg", "m5.large"},
		{"g5.12xlarg", "g5.12xlarge"},
		{"m5.2xlarge ", "m5.2xlarge"},
		{"m6.xlarge", "m5.xlarge"},
		{"t3.micro", ""},
		{"p4d.24xlarge", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := c.Suggest(tt.in); got != tt.want {
			t.Errorf("Suggest(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"abc", "", 3}, {"", "ab", 2}, {"kitten", "sitting", 3},
		{"m5.xlarg", "m5.xlarge", 1}, {"flaw", "lawn", 2}, {"same", "same", 0},
	}
	for _, tt := range tests {
		if got := editDistance(tt.a, tt.b); got != tt.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestParseCatalog(t *testing.T) {
	const in = `# source: test
# date: 2020-01-01

name,family,vcpus,memory_gib,gpus,gpu_model,price_usd_hour
x1.2xlarge,x1,8,32,0,,0.4
# a comment between rows
x1.large, x1, 2, 8, 0, , 0.1
y2.xlarge,y2,4,16,1,Some GPU,1.5
`
	c, err := ParseCatalog(strings.NewReader(in))
	if err != nil {
		t.Fatalf("ParseCatalog: %v", err)
	}
	var names []string
	for _, it := range c.Types() {
		names = append(names, it.Name)
	}
	if got := strings.Join(names, " "); got != "x1.large x1.2xlarge y2.xlarge" {
		t.Errorf("Types() order = %s, want x1.large x1.2xlarge y2.xlarge", got)
	}
	want := InstanceType{Name: "y2.xlarge", Family: "y2", VCPUs: 4, MemoryGiB: 16, GPUs: 1, GPUModel: "Some GPU", PriceUSDHour: 1.5}
	if got, _ := c.Lookup("y2.xlarge"); got != want {
		t.Errorf("Lookup(y2.xlarge) = %+v, want %+v", got, want)
	}
	if c.Source() != "test" || c.Date() != "2020-01-01" {
		t.Errorf("Source, Date = %q, %q; want test, 2020-01-01", c.Source(), c.Date())
	}
}

func TestParseCatalogErrors(t *testing.T) {
	const head = "# c\nname,family,vcpus,memory_gib,gpus,gpu_model,price_usd_hour\n"
	const ok = "m5.large,m5,2,8,0,,0.096\n"
	tests := []struct {
		name, in string
		line     int
		msg      string
	}{
		{"empty", "", 0, "no instance types"},
		{"header only", head, 0, "no instance types"},
		{"bad header", "name,family\n" + ok, 1, "header"},
		{"few fields", head + ok + "m5.xlarge,m5,4,16,0,0.192\n", 4, "6 fields, want 7"},
		{"bad vcpus", head + "m5.large,m5,two,8,0,,0.096\n", 3, `vcpus: "two" is not a whole number`},
		{"zero vcpus", head + "m5.large,m5,0,8,0,,0.096\n", 3, "vcpus: 0 out of range"},
		{"negative price", head + "m5.large,m5,2,8,0,,-0.096\n", 3, "price_usd_hour: must be a positive finite number"},
		{"zero price", head + "m5.large,m5,2,8,0,,0\n", 3, "price_usd_hour: must be a positive"},
		{"nan memory", head + "m5.large,m5,2,NaN,0,,0.096\n", 3, "memory_gib: must be a positive"},
		{"inf price", head + "m5.large,m5,2,8,0,,Inf\n", 3, "price_usd_hour"},
		{"negative gpus", head + "g.x,g,2,8,-1,T4,1\n", 3, "gpus: -1 out of range"},
		{"gpu model without gpus", head + "m5.large,m5,2,8,0,T4,0.096\n", 3, "gpu_model"},
		{"gpus without model", head + "g.x,g,2,8,1,,1\n", 3, "gpu_model"},
		{"name not in family", head + "m5.large,c5,2,8,0,,0.096\n", 3, `name "m5.large" must be the family "c5"`},
		{"no size", head + "m5.,m5,2,8,0,,0.096\n", 3, "must be the family"},
		{"empty name", head + ",m5,2,8,0,,0.096\n", 3, "must not be empty"},
		{"duplicate", head + ok + "\n" + ok, 5, "listed twice"},
		{"quoted", head + `"m5.large",m5,2,8,0,,0.096` + "\n", 3, "quoted"},
		{"long line", head + strings.Repeat("x", catalogMaxLineLen+1) + "\n", 3, "longer than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseCatalog(strings.NewReader(tt.in))
			var ce *CatalogError
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v, want a *CatalogError", err)
			}
			if ce.Line != tt.line || !strings.Contains(ce.Msg, tt.msg) {
				t.Errorf("err = %v (line %d), want line %d containing %q", err, ce.Line, tt.line, tt.msg)
			}
			if tt.line > 0 && !strings.HasPrefix(err.Error(), "catalog line ") {
				t.Errorf("err = %q, want it to start with \"catalog line \"", err)
			}
		})
	}
}

// TestDefaultCatalogFresh checks that each call builds its own catalog.
func TestDefaultCatalogFresh(t *testing.T) {
	a, b := defaultCatalog(t), defaultCatalog(t)
	if a == b {
		t.Fatal("DefaultCatalog returned the same pointer twice")
	}
	if len(a.Types()) != len(b.Types()) {
		t.Fatal("two DefaultCatalog calls differ")
	}
}

func BenchmarkDefaultCatalog(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DefaultCatalog(); err != nil {
			b.Fatal(err)
		}
	}
}

// TestCatalogSelect: the types of the families asked for, in the catalog's
// order whatever the order asked; every type without a family; an unknown
// family names the known ones.
func TestCatalogSelect(t *testing.T) {
	c := defaultCatalog(t)
	got, err := c.Select([]string{"m5", " c5"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(c.Family("c5"))+len(c.Family("m5")) || got[0].Name != "c5.large" || got[len(got)-1].Name != "m5.24xlarge" {
		t.Errorf("Select(m5, c5) = %d types from %s to %s, want c5 then m5", len(got), got[0].Name, got[len(got)-1].Name)
	}
	if all, err := c.Select(nil); err != nil || len(all) != len(c.Types()) {
		t.Errorf("Select(none) = %d types, %v; want all %d", len(all), err, len(c.Types()))
	}
	if _, err := c.Select([]string{"m9"}); err == nil || !strings.Contains(err.Error(), `no instance family "m9" in the catalog; families: c5, c6i`) {
		t.Errorf("Select(m9): %v", err)
	}
}
