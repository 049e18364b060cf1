package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strconv"
)

type sample struct {
	min, rss, anon, file, heapInuse, goResident, nonGo, wasm, db, wal, cpu float64
	wasmCount                                                              int
}

// summarize prints, from a CSV written by a run, the samples every five
// minutes and the slopes of the first and last ten minutes, the figures
// README.md quotes.
func summarize(path string, w io.Writer) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return err
	}
	if len(rows) < 2 {
		return fmt.Errorf("%s: no samples", path)
	}
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	num := func(r []string, name string) float64 {
		v, _ := strconv.ParseFloat(r[col[name]], 64)
		return v
	}
	var ss []sample
	for _, r := range rows[1:] {
		const mib = 1 << 20
		s := sample{
			min:       num(r, "elapsed_s") / 60,
			rss:       num(r, "vm_rss_kib") / 1024,
			anon:      num(r, "rss_anon_kib") / 1024,
			file:      num(r, "rss_file_kib") / 1024,
			heapInuse: num(r, "go_heap_inuse_b") / mib,
			// What the Go runtime holds from the OS and has not handed
			// back: an upper bound of its resident share, so nonGo is a
			// lower bound of what lies outside it.
			goResident: (num(r, "go_sys_b") - num(r, "go_heap_released_b")) / mib,
			wasm:       num(r, "wasm_mem_rss_kib") / 1024,
			wasmCount:  int(num(r, "wasm_mem_count")),
			db:         num(r, "db_b") / mib,
			wal:        num(r, "wal_b") / mib,
			cpu:        num(r, "cpu_s"),
		}
		s.nonGo = s.rss - s.goResident
		ss = append(ss, s)
	}
	fmt.Fprintln(w, "| min | VmRSS | RssAnon | RssFile | Go heap in use | Go resident (sys−released) | RSS − Go resident | SQLite memories (n) | DB | WAL |")
	fmt.Fprintln(w, "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	next, printed := 0.0, -1.0
	for i, s := range ss {
		// Every fifth minute, and the last sample unless it falls on one.
		last := i == len(ss)-1 && s.min-printed > 0.05
		if s.min+1e-9 < next && !last {
			continue
		}
		next, printed = float64(int(s.min/5)+1)*5, s.min
		fmt.Fprintf(w, "| %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f (%d) | %.1f | %.1f |\n",
			s.min, s.rss, s.anon, s.file, s.heapInuse, s.goResident, s.nonGo, s.wasm, s.wasmCount, s.db, s.wal)
	}
	last := ss[len(ss)-1]
	fmt.Fprintf(w, "\nAll sizes in MiB. Node CPU: %.0f s over %.1f min (%.0f%% of one core).\n", last.cpu-ss[0].cpu, last.min-ss[0].min, 100*(last.cpu-ss[0].cpu)/(60*(last.min-ss[0].min)))
	window := func(from, to float64) []sample {
		var out []sample
		for _, s := range ss {
			if s.min >= from-1e-9 && s.min <= to+1e-9 {
				out = append(out, s)
			}
		}
		return out
	}
	series := []struct {
		name string
		get  func(sample) float64
	}{
		{"VmRSS", func(s sample) float64 { return s.rss }},
		{"RSS − Go resident", func(s sample) float64 { return s.nonGo }},
		{"SQLite memories", func(s sample) float64 { return s.wasm }},
		{"Go heap in use", func(s sample) float64 { return s.heapInuse }},
		{"DB", func(s sample) float64 { return s.db }},
		{"DB + WAL", func(s sample) float64 { return s.db + s.wal }},
	}
	end := last.min
	first, final := window(0, 10), window(end-10, end)
	fmt.Fprintf(w, "\nSlopes (least squares, MiB a minute): first 10 min | last 10 min (%.1f–%.1f)\n", end-10, end)
	for _, s := range series {
		fmt.Fprintf(w, "- %s: %+.2f | %+.2f\n", s.name, slope(first, s.get), slope(final, s.get))
	}
	return nil
}

func slope(ss []sample, y func(sample) float64) float64 {
	var n, sx, sy, sxx, sxy float64
	for _, s := range ss {
		v := y(s)
		n++
		sx += s.min
		sy += v
		sxx += s.min * s.min
		sxy += s.min * v
	}
	if n < 2 || n*sxx == sx*sx {
		return 0
	}
	return (n*sxy - sx*sy) / (n*sxx - sx*sx)
}
