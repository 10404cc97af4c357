package reports

import (
	"cmp"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"

	"github.com/scalesim/scalesim/models"
)

// The instance catalog, as `scalesim catalog` lists it.

// WriteCatalogTable writes types as an aligned table with a source footer.
func WriteCatalogTable(w io.Writer, cat *models.Catalog, types []models.InstanceType) error {
	header := []string{"TYPE", "VCPU", "MEMORY GiB", "GPUS", "USD/HOUR", "GPU MODEL"}
	right := []bool{false, true, true, true, true, false}
	withModel := slices.ContainsFunc(types, func(t models.InstanceType) bool { return t.GPUModel != "" })
	if !withModel {
		header, right = header[:5], right[:5]
	}
	rows := make([][]string, 0, len(types))
	for _, t := range types {
		row := []string{
			t.Name,
			strconv.Itoa(t.VCPUs),
			strconv.FormatFloat(t.MemoryGiB, 'f', -1, 64),
			strconv.Itoa(t.GPUs),
			strconv.FormatFloat(t.PriceUSDHour, 'f', 4, 64),
		}
		if withModel {
			row = append(row, cmp.Or(t.GPUModel, "-"))
		}
		rows = append(rows, row)
	}
	if _, err := (Columns{Header: header, Rows: rows, Right: right}).WriteTo(w); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "\n%d instance types, as of %s. Source: %s\n", len(types), cat.Date(), cat.Source())
	return err
}

// catalogJSON is the JSON form of the catalog listing.
type catalogJSON struct {
	Source        string             `json:"source"`
	Date          string             `json:"date"`
	InstanceTypes []instanceTypeJSON `json:"instance_types"`
}

// instanceTypeJSON is one instance type in the JSON listing.
type instanceTypeJSON struct {
	Name         string  `json:"name"`
	Family       string  `json:"family"`
	VCPUs        int     `json:"vcpus"`
	MemoryGiB    float64 `json:"memory_gib"`
	GPUs         int     `json:"gpus"`
	GPUModel     string  `json:"gpu_model,omitempty"`
	PriceUSDHour float64 `json:"price_usd_hour"`
}

// WriteCatalogJSON writes types as indented JSON.
func WriteCatalogJSON(w io.Writer, cat *models.Catalog, types []models.InstanceType) error {
	out := catalogJSON{Source: cat.Source(), Date: cat.Date(), InstanceTypes: []instanceTypeJSON{}}
	for _, t := range types {
		out.InstanceTypes = append(out.InstanceTypes, instanceTypeJSON{
			Name: t.Name, Family: t.Family, VCPUs: t.VCPUs, MemoryGiB: t.MemoryGiB,
			GPUs: t.GPUs, GPUModel: t.GPUModel, PriceUSDHour: t.PriceUSDHour,
		})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// WriteCatalogCSV writes types as CSV with a header row.
func WriteCatalogCSV(w io.Writer, types []models.InstanceType) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"name", "family", "vcpus", "memory_gib", "gpus", "gpu_model", "price_usd_hour"})
	for _, t := range types {
		_ = cw.Write([]string{
			t.Name, t.Family, strconv.Itoa(t.VCPUs),
			strconv.FormatFloat(t.MemoryGiB, 'f', -1, 64),
			strconv.Itoa(t.GPUs), t.GPUModel,
			strconv.FormatFloat(t.PriceUSDHour, 'f', -1, 64),
		})
	}
	cw.Flush()
	return cw.Error()
}
