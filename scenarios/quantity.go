package scenarios

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Quantity is a Kubernetes resource quantity as a manifest writes it: a
// number with an optional suffix, binary (Ki, Mi, Gi, Ti, Pi, Ei), decimal
// (k, M, G, T, P, E) or milli (m): "2Gi", "512Mi", "500m", "1.5", "1e9".
type Quantity string

// quantitySuffixes are the suffixes and their factors.
var quantitySuffixes = []struct {
	suffix string
	factor float64
}{
	{"Ki", 1 << 10}, {"Mi", 1 << 20}, {"Gi", 1 << 30}, {"Ti", 1 << 40}, {"Pi", 1 << 50}, {"Ei", 1 << 60},
	{"k", 1e3}, {"M", 1e6}, {"G", 1e9}, {"T", 1e12}, {"P", 1e15}, {"E", 1e18}, {"m", 1e-3},
}

// Value returns the quantity in its base unit (cores, bytes).
func (q Quantity) Value() (float64, error) {
	s := strings.TrimSpace(string(q))
	if s == "" {
		return 0, fmt.Errorf("empty quantity")
	}
	factor := 1.0
	for _, x := range quantitySuffixes {
		if strings.HasSuffix(s, x.suffix) {
			s, factor = strings.TrimSuffix(s, x.suffix), x.factor
			break
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || strings.ContainsAny(s, "xXpP_") {
		return 0, fmt.Errorf("%q is not a Kubernetes quantity (write 2Gi, 512Mi, 1.5 or 500m)", string(q))
	}
	return v * factor, nil
}

// cores formats x cores as a quantity, in millicores when not whole.
func cores(x float64) Quantity {
	if x == math.Trunc(x) {
		return Quantity(strconv.FormatFloat(x, 'f', -1, 64))
	}
	return Quantity(strconv.FormatInt(int64(math.Round(x*1000)), 10) + "m")
}
