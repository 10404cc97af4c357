package main

import (
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
)

func TestCatalogCmd(t *testing.T) {
	stdout, stderr, code := runCLI(t, "catalog")
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	golden(t, "catalog", stdout)
	var row []string
	for _, l := range lines(stdout) {
		if f := strings.Fields(l); len(f) > 0 && f[0] == "m5.xlarge" {
			row = f
		}
	}
	// m5.xlarge: 4 vCPU, 16 GiB, no GPU, $0.192 an hour (catalog.csv, us-east-1).
	if want := []string{"m5.xlarge", "4", "16", "0", "0.1920", "-"}; strings.Join(row, " ") != strings.Join(want, " ") {
		t.Errorf("m5.xlarge row = %q, want %q", row, want)
	}
	if l := lines(stdout); !strings.Contains(l[len(l)-1], "Source: ") || !strings.Contains(l[len(l)-1], "2026-") {
		t.Errorf("footer = %q, want the source and date", l[len(l)-1])
	}
}

func TestCatalogFamilyJSON(t *testing.T) {
	stdout, stderr, code := runCLI(t, "catalog", "--family", "m5", "-o", "json")
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	var got struct { // what a script reads
		Source, Date  string
		InstanceTypes []struct {
			Name, Family string
			VCPUs        int     `json:"vcpus"`
			MemoryGiB    float64 `json:"memory_gib"`
			PriceUSDHour float64 `json:"price_usd_hour"`
		} `json:"instance_types"`
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatal(err)
	}
	if got.Source == "" || got.Date == "" || len(got.InstanceTypes) == 0 {
		t.Fatalf("source %q, date %q, %d types", got.Source, got.Date, len(got.InstanceTypes))
	}
	prev := 0
	for _, it := range got.InstanceTypes {
		if it.Family != "m5" || it.VCPUs < prev {
			t.Errorf("%s: family %s, %d vCPU after %d; want m5 by size", it.Name, it.Family, it.VCPUs, prev)
		}
		prev = it.VCPUs
		if it.Name == "m5.xlarge" && (it.VCPUs != 4 || it.MemoryGiB != 16 || it.PriceUSDHour != 0.192) {
			t.Errorf("m5.xlarge = %+v", it)
		}
	}
}

func TestCatalogCSV(t *testing.T) {
	stdout, _, code := runCLI(t, "catalog", "--family", "g4dn,m5", "-o", "csv")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	recs, err := csv.NewReader(strings.NewReader(stdout)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(recs[0], ",") != "name,family,vcpus,memory_gib,gpus,gpu_model,price_usd_hour" {
		t.Errorf("header %q", recs[0])
	}
	fams := map[string]bool{}
	for _, r := range recs[1:] {
		fams[r[1]] = true
	}
	if len(fams) != 2 || !fams["g4dn"] || !fams["m5"] || recs[1][1] != "g4dn" {
		t.Errorf("families %v (first %q), want g4dn then m5", fams, recs[1][1])
	}
}
