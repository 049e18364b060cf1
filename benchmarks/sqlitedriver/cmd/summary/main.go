// Command summary reads `go test -bench` output (results/bench.txt) on stdin
// and prints a Markdown table of medians, min–max, and the ncruces/modernc
// ratio for each workload's headline metric.
//
//	go run ./cmd/summary < results/bench.txt
package main

import (
	"bufio"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

var nameRE = regexp.MustCompile(`^Benchmark(\S+?)/driver=(\w+)(-\d+)?$`)

func main() {
	// samples[workload][metric][driver]
	samples := map[string]map[string]map[string][]float64{}
	var order []string
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		m := nameRE.FindStringSubmatch(f[0])
		if m == nil {
			continue
		}
		w, d := m[1], m[2]
		if samples[w] == nil {
			samples[w] = map[string]map[string][]float64{}
			order = append(order, w)
		}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				continue
			}
			unit := f[i+1]
			if samples[w][unit] == nil {
				samples[w][unit] = map[string][]float64{}
			}
			samples[w][unit][d] = append(samples[w][unit][d], v)
		}
	}
	fmt.Println("| workload | metric | modernc median (min–max) | ncruces median (min–max) | ncruces ÷ modernc |")
	fmt.Println("|---|---|---|---|---|")
	for _, w := range order {
		for _, unit := range []string{"rows/s", "tx/s", "p50-µs", "p99-µs", "reads/s", "cpu-µs/op", "B/op", "allocs/op"} {
			byD := samples[w][unit]
			if byD == nil || (unit == "B/op" || unit == "allocs/op") && !showAlloc(w) {
				continue
			}
			a, b := byD["modernc"], byD["ncruces"]
			if len(a) == 0 || len(b) == 0 {
				continue
			}
			ma, mb := median(a), median(b)
			fmt.Printf("| %s | %s | %s (%s–%s) | %s (%s–%s) | %.2f× |\n", w, unit,
				fmtv(unit, ma), fmtv(unit, slices.Min(a)), fmtv(unit, slices.Max(a)),
				fmtv(unit, mb), fmtv(unit, slices.Min(b)), fmtv(unit, slices.Max(b)), mb/ma)
		}
	}
}

// showAlloc limits the allocation rows to one per workload family.
func showAlloc(w string) bool {
	return strings.HasPrefix(w, "BulkInsert/rows_per_stmt=1") && !strings.Contains(w, "=100") ||
		w == "SmallWriteTx" || w == "PointRead/conns=1/stmt=prepared"
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

func fmtv(unit string, v float64) string {
	if unit == "B/op" && v >= 10240 {
		return strconv.FormatFloat(v/1024, 'f', 0, 64) + " KiB"
	}
	return num(v)
}

func num(v float64) string {
	switch {
	case v >= 10000:
		return strconv.FormatFloat(float64(int64(v/100+0.5))/10, 'f', -1, 64) + "k"
	case v >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	default:
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
}
