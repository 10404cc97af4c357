package main

import (
	"cmp"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/scalesim/scalesim/models"
	"github.com/scalesim/scalesim/reports"
)

// catalogOptions is what `scalesim catalog` was asked to list.
type catalogOptions struct {
	IO       ioStreams
	Families []string // --family; empty for all
	Output   string   // -o: table, json or csv
}

// newCatalogCmd builds `scalesim catalog`.
func newCatalogCmd(ios ioStreams) *cobra.Command {
	opts := &catalogOptions{IO: ios}
	cmd := &cobra.Command{
		Use:   "catalog",
		Short: "List the instance types the simulator knows",
		Long: `List the instance types the simulator knows, with their vCPUs, memory, GPUs
and on-demand hourly price, sorted by family and then size. The last line of
the table names where the prices come from and when they were taken.`,
		Example: `  scalesim catalog
  scalesim catalog --family m5
  scalesim catalog --family g4dn,g5 -o json`,
		Args:              cobra.NoArgs,
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: func(*cobra.Command, []string) error {
			if err := checkFormat(opts.Output, catalogFormats()); err != nil {
				return err
			}
			return runCatalog(opts)
		},
	}
	f := cmd.Flags()
	f.StringSliceVar(&opts.Families, "family", nil, "list only the instance `FAMILY` (e.g. m5; repeatable or comma-separated)")
	f.StringVarP(&opts.Output, "output", "o", "table", "stdout `FORMAT`: table, json or csv")
	_ = cmd.RegisterFlagCompletionFunc("output", fixedCompletion(catalogFormats()...))
	_ = cmd.RegisterFlagCompletionFunc("family", completeFamilies)
	return cmd
}

// catalogFormats are the values of catalog's -o flag.
func catalogFormats() []string { return []string{"table", "json", "csv"} }

// runCatalog prints the selected instance types.
func runCatalog(o *catalogOptions) error {
	cat, err := models.DefaultCatalog()
	if err != nil {
		return fmt.Errorf("instance catalog: %w", err)
	}
	types, err := selectTypes(cat.Types(), o.Families)
	if err != nil {
		return err
	}
	switch o.Output {
	case "json":
		return writeCatalogJSON(o.IO.Out, cat, types)
	case "csv":
		return writeCatalogCSV(o.IO.Out, types)
	default:
		return writeCatalogTable(o.IO.Out, cat, types)
	}
}

// selectTypes returns the types of the given families (all if none),
// sorted by family, then vCPUs, memory, GPUs and name. An unknown family
// is an input error that lists the known ones.
func selectTypes(all []models.InstanceType, families []string) ([]models.InstanceType, error) {
	known := familiesOf(all)
	want := map[string]bool{}
	for _, f := range families {
		f = strings.TrimSpace(f)
		if !slices.Contains(known, f) {
			return nil, &inputError{fmt.Errorf("no instance family %q in the catalog; families: %s",
				f, strings.Join(known, ", "))}
		}
		want[f] = true
	}
	var out []models.InstanceType
	for _, t := range all {
		if len(want) == 0 || want[t.Family] {
			out = append(out, t)
		}
	}
	slices.SortStableFunc(out, func(a, b models.InstanceType) int {
		return cmp.Or(
			cmp.Compare(a.Family, b.Family),
			cmp.Compare(a.VCPUs, b.VCPUs),
			cmp.Compare(a.MemoryGiB, b.MemoryGiB),
			cmp.Compare(a.GPUs, b.GPUs),
			cmp.Compare(a.Name, b.Name),
		)
	})
	return out, nil
}

// familiesOf returns the sorted distinct families of types.
func familiesOf(types []models.InstanceType) []string {
	var fams []string
	for _, t := range types {
		if !slices.Contains(fams, t.Family) {
			fams = append(fams, t.Family)
		}
	}
	slices.Sort(fams)
	return fams
}

// completeFamilies completes --family from the default catalog.
func completeFamilies(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
	cat, err := models.DefaultCatalog()
	if err != nil {
		return nil, cobra.ShellCompDirectiveError
	}
	return familiesOf(cat.Types()), cobra.ShellCompDirectiveNoFileComp
}

// writeCatalogTable prints types as an aligned table with a source footer.
func writeCatalogTable(w io.Writer, cat *models.Catalog, types []models.InstanceType) error {
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
	if _, err := (reports.Columns{Header: header, Rows: rows, Right: right}).WriteTo(w); err != nil {
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

// writeCatalogJSON prints types as indented JSON.
func writeCatalogJSON(w io.Writer, cat *models.Catalog, types []models.InstanceType) error {
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

// writeCatalogCSV prints types as CSV with a header row.
func writeCatalogCSV(w io.Writer, types []models.InstanceType) error {
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
