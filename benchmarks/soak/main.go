// Command soak drives a running stend node with a steady request rate that
// makes its SQLite database grow, and samples the node's memory beside the
// database's size, to tell whether memory outside the Go heap levels off
// (issue 14, defect 8). See README.md for how to run it and the figures.
package main

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// The demo seed's credentials (demo/seed.json).
const (
	reestroAuth   = "ReestroAuth apiKey=0b8e5f4c-6a1d-4f2e-9c3b-7d2a1e5f8c40&portal.orgid=1269f58a-3d40-42e1-91ad-a4251566419c"
	fsspToken     = "demo-fssp-token"
	motivityToken = "demo-public-token"
)

type org struct {
	user, password, key string
	areas               []int
}

var orgs = []org{
	{"demo", "demo-password", "demo-api-key", []int{101, 102}},
	{"second", "second-password", "second-api-key", []int{201}},
}

var (
	surnames = []string{"Иванов", "Петров", "Сидоров", "Смирнов", "Кузнецов", "Попов", "Васильев", "Соколов", "Михайлов", "Новиков"}
	names    = []string{"Сергей", "Иван", "Пётр", "Алексей", "Дмитрий", "Андрей", "Михаил", "Николай"}
	regions  = []string{"66", "77", "78", "16", "50", "54"}
)

// op is one kind of request; weight is its share of every 100 requests.
// Writes dominate so that the database grows the way the issue saw it.
type op struct {
	name   string
	weight int
	do     func(d *driver) error
}

var ops = []op{
	{"report", 35, (*driver).report},
	{"report_read", 6, (*driver).reportRead},
	{"fssp_search", 15, (*driver).fsspSearch},
	{"fssp_read", 8, (*driver).fsspRead},
	{"reestro_subject", 8, (*driver).reestroSubject},
	{"reestro_check", 8, (*driver).reestroCheck},
	{"reestro_read", 4, (*driver).reestroRead},
	{"motivity_points", 12, (*driver).motivityPoints},
	{"motivity_badge", 4, (*driver).motivityBadge},
}

type driver struct {
	base     string
	operator string
	client   *http.Client
	rng      func() *rand.Rand

	mu       sync.Mutex
	reports  []report // created reports, replaced at random
	nextWeek map[int]int
	tasks    []string // recent FSSP task ids
	subjects []string
	checks   []string
	seq      atomic.Int64
}

type report struct {
	id, area int
	org      org
	start    time.Time
}

// The newest week that is certainly in the past; new reports go back from it
// one week per area, so none collides with another.
var firstMonday = time.Date(2025, 5, 26, 0, 0, 0, 0, time.UTC)

func (d *driver) report() error {
	r := d.rng()
	d.mu.Lock()
	var rep report
	replace := len(d.reports) > 30 && r.IntN(4) != 0
	if replace {
		rep = d.reports[r.IntN(len(d.reports))]
	} else {
		o := orgs[r.IntN(len(orgs))]
		area := o.areas[r.IntN(len(o.areas))]
		w := d.nextWeek[area]
		d.nextWeek[area] = w + 1
		rep = report{area: area, org: o, start: firstMonday.AddDate(0, 0, -7*w)}
	}
	d.mu.Unlock()
	day := func(t time.Time) string { return t.Format(time.DateOnly) }
	var rows []map[string]any
	for range 5 {
		rows = append(rows, map[string]any{
			"identityDocumentNumber": fmt.Sprintf("%016x%016x%016x%016x", r.Uint64(), r.Uint64(), r.Uint64(), r.Uint64()),
			"examDate":               day(rep.start.AddDate(0, 0, r.IntN(7))),
			"migrationExamType":      1,
			"migrationExamStatus":    1 + r.IntN(2),
		})
	}
	body := map[string]any{
		"examinationAreaId": rep.area, "periodStartDate": day(rep.start), "periodEndDate": day(rep.start.AddDate(0, 0, 6)),
		"noExamInSelectedPeriod": false, "examinationAreaDoesNotWork": false, "noPatentExamType": true,
		"noTemporaryResidenceExamType": true, "noResidencePermitExamType": true,
		"noCitizenshipRussianLangExamType": true, "noCitizenshipHistoryExamType": true,
		"requests": rows,
	}
	if replace {
		body["reportId"] = rep.id
	}
	req := d.jsonRequest("POST", "/Reports/Report", body)
	req.SetBasicAuth(rep.org.user, rep.org.password)
	req.Header.Set("x-api-key", rep.org.key)
	var out struct {
		ReportID int `json:"reportId"`
	}
	if err := d.do(req, &out); err != nil {
		return err
	}
	if !replace {
		rep.id = out.ReportID
		d.mu.Lock()
		d.reports = append(d.reports, rep)
		d.mu.Unlock()
	}
	return nil
}

func (d *driver) reportRead() error {
	d.mu.Lock()
	if len(d.reports) == 0 {
		d.mu.Unlock()
		return nil
	}
	id := d.reports[d.rng().IntN(len(d.reports))].id
	d.mu.Unlock()
	req, _ := http.NewRequest("GET", d.base+"/operator/v1/migrant-exam/reports/"+strconv.Itoa(id), nil)
	req.Header.Set("Authorization", "Bearer "+d.operator)
	return d.do(req, nil)
}

func (d *driver) fsspSearch() error {
	r := d.rng()
	q := url.Values{"token": {fsspToken}, "region": {regions[r.IntN(len(regions))]},
		"lastname": {surnames[r.IntN(len(surnames))]}, "firstname": {names[r.IntN(len(names))]}}
	req, _ := http.NewRequest("GET", d.base+"/api/v1.0/search/physical?"+q.Encode(), nil)
	var out struct {
		Response struct {
			Task string `json:"task"`
		} `json:"response"`
	}
	if err := d.do(req, &out); err != nil {
		return err
	}
	d.mu.Lock()
	d.tasks = keepLast(append(d.tasks, out.Response.Task), 1000)
	d.mu.Unlock()
	return nil
}

func (d *driver) fsspRead() error {
	r := d.rng()
	d.mu.Lock()
	if len(d.tasks) == 0 {
		d.mu.Unlock()
		return nil
	}
	task := d.tasks[r.IntN(len(d.tasks))]
	d.mu.Unlock()
	path := "/api/v1.0/status"
	if r.IntN(2) == 0 {
		path = "/api/v1.0/result"
	}
	req, _ := http.NewRequest("GET", d.base+path+"?"+url.Values{"token": {fsspToken}, "task": {task}}.Encode(), nil)
	return d.do(req, nil)
}

func (d *driver) reestroSubject() error {
	r := d.rng()
	birth := time.Date(1950+r.IntN(50), 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(365))
	req := d.jsonRequest("POST", "/realty/assessment/v1/subjects", map[string]any{"person": map[string]any{
		"surname": surnames[r.IntN(len(surnames))], "name": names[r.IntN(len(names))],
		"patronymic": "Петрович", "birthDate": birth.Format(time.DateOnly)}})
	req.Header.Set("Authorization", reestroAuth)
	var out struct {
		SubjectID string `json:"subjectId"`
	}
	if err := d.do(req, &out); err != nil {
		return err
	}
	d.mu.Lock()
	d.subjects = keepLast(append(d.subjects, out.SubjectID), 1000)
	d.mu.Unlock()
	return nil
}

func (d *driver) reestroCheck() error {
	r := d.rng()
	d.mu.Lock()
	if len(d.subjects) == 0 {
		d.mu.Unlock()
		return nil
	}
	subject := d.subjects[r.IntN(len(d.subjects))]
	d.mu.Unlock()
	req := d.jsonRequest("POST", "/realty/assessment/v1/checks", map[string]any{
		"fssp":          map[string]any{"subjectId": subject, "regions": twoRegions(r)},
		"correlationId": "soak-" + strconv.Itoa(r.IntN(100)),
	})
	req.Header.Set("Authorization", reestroAuth)
	var out struct {
		CheckID string `json:"checkId"`
	}
	if err := d.do(req, &out); err != nil {
		return err
	}
	d.mu.Lock()
	d.checks = keepLast(append(d.checks, out.CheckID), 1000)
	d.mu.Unlock()
	return nil
}

// twoRegions returns two distinct region codes: Reestro refuses a repeated one.
func twoRegions(r *rand.Rand) []string {
	i := r.IntN(len(regions))
	j := (i + 1 + r.IntN(len(regions)-1)) % len(regions)
	return []string{regions[i], regions[j]}
}

func (d *driver) reestroRead() error {
	r := d.rng()
	path := "/realty/assessment/v1/checks?correlationId=soak-" + strconv.Itoa(r.IntN(100))
	d.mu.Lock()
	if len(d.checks) > 0 && r.IntN(2) == 0 {
		path = "/realty/assessment/v1/checks/" + d.checks[r.IntN(len(d.checks))]
	}
	d.mu.Unlock()
	req, _ := http.NewRequest("GET", d.base+path, nil)
	req.Header.Set("Authorization", reestroAuth)
	return d.do(req, nil)
}

func (d *driver) motivityPoints() error {
	r := d.rng()
	var items []map[string]any
	for _, u := range []string{"petrov@example.ru", "ivanova@example.ru"} {
		items = append(items, map[string]any{"userId": u, "balanceType": "karma",
			"amount": strconv.Itoa(1 + r.IntN(50)), "message": "soak " + strconv.FormatInt(d.seq.Add(1), 10)})
	}
	req := d.jsonRequest("POST", "/public/api/v1/points/", items)
	req.Header.Set("X-Auth-Token", motivityToken)
	return d.do(req, nil)
}

func (d *driver) motivityBadge() error {
	action := "assign"
	if d.seq.Add(1)%2 == 0 {
		action = "remove"
	}
	req := d.jsonRequest("POST", "/public/api/v1/badge/98/"+action, map[string]any{"userId": []string{"petrov@example.ru"}})
	req.Header.Set("X-Auth-Token", motivityToken)
	return d.do(req, nil)
}

func keepLast(s []string, n int) []string {
	if len(s) > n {
		return append(s[:0], s[len(s)-n:]...)
	}
	return s
}

func (d *driver) jsonRequest(method, path string, body any) *http.Request {
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, d.base+path, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	return req
}

func (d *driver) do(req *http.Request, out any) error {
	resp, err := d.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s %s: %d %.200s", req.Method, req.URL.Path, resp.StatusCode, b)
	}
	if out != nil {
		return json.Unmarshal(b, out)
	}
	return nil
}

// counters per op for the current sample interval.
type counters struct {
	ok, failed, dropped [16]atomic.Int64
}

func main() {
	base := flag.String("base", "http://127.0.0.1:18480", "node's base URL")
	pid := flag.Int("pid", 0, "node's process id (for /proc/<pid>/status and smaps)")
	dataDir := flag.String("data-dir", "", "node's data directory (stend.db and its WAL)")
	operator := flag.String("operator-token", "demo-operator-token", "operator API token")
	rate := flag.Int("rate", 100, "requests a second")
	duration := flag.Duration("duration", 30*time.Minute, "how long to run")
	every := flag.Duration("sample", 10*time.Second, "sampling interval")
	workers := flag.Int("workers", 32, "requests in flight at most; a request past that is dropped and counted")
	out := flag.String("out", "soak.csv", "CSV of samples")
	mapsOut := flag.String("maps", "", "file to append, every 5 minutes, the node's large memory mappings to")
	summary := flag.String("summarize", "", "print the figures of this CSV from an earlier run, and exit")
	flag.Parse()
	if *summary != "" {
		if err := summarize(*summary, os.Stdout); err != nil {
			log.Fatal(err)
		}
		return
	}
	if *pid == 0 || *dataDir == "" {
		log.Fatal("soak: -pid and -data-dir are required")
	}

	var seed atomic.Uint64
	d := &driver{
		base: strings.TrimSuffix(*base, "/"), operator: *operator,
		client:   &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: *workers}},
		rng:      func() *rand.Rand { return rand.New(rand.NewPCG(seed.Add(1), 14)) },
		nextWeek: map[int]int{},
	}

	// A fixed, shuffled schedule of 100 slots spreads each op evenly over
	// every second instead of sending it in bursts.
	var schedule []int
	for i, o := range ops {
		for range o.weight {
			schedule = append(schedule, i)
		}
	}
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(schedule), func(i, j int) { schedule[i], schedule[j] = schedule[j], schedule[i] })

	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	w := csv.NewWriter(f)
	header := []string{"elapsed_s", "vm_rss_kib", "rss_anon_kib", "rss_file_kib", "rss_shmem_kib", "vm_hwm_kib",
		"go_heap_inuse_b", "go_heap_sys_b", "go_heap_released_b", "go_sys_b", "go_stack_inuse_b",
		"wasm_mem_rss_kib", "wasm_mem_count", "db_b", "wal_b", "shm_b", "cpu_s", "sent", "ok", "failed", "dropped"}
	for _, o := range ops {
		header = append(header, "ok_"+o.name)
	}
	w.Write(header)
	w.Flush()

	var c counters
	var sent atomic.Int64
	sem := make(chan struct{}, *workers)
	var firstErr sync.Map
	start := time.Now()
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	tick := time.NewTicker(time.Second / time.Duration(*rate))
	defer tick.Stop()
	sample := time.NewTicker(*every)
	defer sample.Stop()
	end := time.After(*duration)
	var wg sync.WaitGroup
	lastMaps := time.Time{}

	record := func() {
		s := sampleNode(*pid, *base, *dataDir)
		row := []string{fmt.Sprintf("%.0f", time.Since(start).Seconds())}
		row = append(row, s...)
		var ok, failed, dropped int64
		var perOp []string
		for i := range ops {
			o := c.ok[i].Swap(0)
			ok += o
			failed += c.failed[i].Swap(0)
			dropped += c.dropped[i].Swap(0)
			perOp = append(perOp, strconv.FormatInt(o, 10))
		}
		row = append(row, strconv.FormatInt(sent.Swap(0), 10), strconv.FormatInt(ok, 10), strconv.FormatInt(failed, 10), strconv.FormatInt(dropped, 10))
		row = append(row, perOp...)
		w.Write(row)
		w.Flush()
		log.Printf("t=%ss rss=%sKiB anon=%sKiB heap_inuse=%sB wasm=%sKiB db=%sB wal=%sB ok=%d failed=%d dropped=%d",
			row[0], s[0], s[1], s[5], s[10], s[12], s[13], ok, failed, dropped)
		if *mapsOut != "" && time.Since(lastMaps) >= 5*time.Minute-time.Second {
			lastMaps = time.Now()
			appendMaps(*mapsOut, *pid, row[0])
		}
	}
	record()

	for n := 0; ; n++ {
		select {
		case <-tick.C:
			i := schedule[n%len(schedule)]
			sent.Add(1)
			select {
			case sem <- struct{}{}:
			default:
				c.dropped[i].Add(1)
				continue
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() { <-sem }()
				if err := ops[i].do(d); err != nil {
					c.failed[i].Add(1)
					if _, seen := firstErr.LoadOrStore(ops[i].name, true); !seen {
						log.Printf("%s: first failure: %v", ops[i].name, err)
					}
					return
				}
				c.ok[i].Add(1)
			}()
		case <-sample.C:
			record()
		case <-end:
			wg.Wait()
			record()
			return
		case <-stop:
			wg.Wait()
			record()
			return
		}
	}
}

// sampleNode returns, in the CSV's order, the node's memory, the Go
// runtime's view of it, and the database files' sizes.
func sampleNode(pid int, base, dataDir string) []string {
	status := procStatus(pid)
	metrics := promMetrics(base + "/metrics")
	wasmRSS, wasmCount := wasmMemories(pid)
	size := func(name string) string {
		fi, err := os.Stat(filepath.Join(dataDir, name))
		if err != nil {
			return "0"
		}
		return strconv.FormatInt(fi.Size(), 10)
	}
	return []string{
		status["VmRSS"], status["RssAnon"], status["RssFile"], status["RssShmem"], status["VmHWM"],
		metrics["go_memstats_heap_inuse_bytes"], metrics["go_memstats_heap_sys_bytes"], metrics["go_memstats_heap_released_bytes"],
		metrics["go_memstats_sys_bytes"], metrics["go_memstats_stack_inuse_bytes"],
		strconv.FormatInt(wasmRSS, 10), strconv.Itoa(wasmCount),
		size("stend.db"), size("stend.db-wal"), size("stend.db-shm"), cpuSeconds(pid),
	}
}

func procStatus(pid int) map[string]string {
	m := map[string]string{}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return m
	}
	for _, line := range strings.Split(string(b), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if ok {
			m[k] = strings.TrimSuffix(strings.TrimSpace(v), " kB")
		}
	}
	return m
}

func cpuSeconds(pid int) string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return ""
	}
	// Fields after the command's closing parenthesis; utime and stime are
	// the 12th and 13th of them, in clock ticks (100 a second on Linux).
	_, rest, _ := strings.Cut(string(b), ") ")
	f := strings.Fields(rest)
	if len(f) < 13 {
		return ""
	}
	u, _ := strconv.ParseFloat(f[11], 64)
	s, _ := strconv.ParseFloat(f[12], 64)
	return fmt.Sprintf("%.1f", (u+s)/100)
}

func promMetrics(u string) map[string]string {
	m := map[string]string{}
	resp, err := http.Get(u)
	if err != nil {
		return m
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, "go_memstats_") {
			continue
		}
		k, v, ok := strings.Cut(line, " ")
		if !ok {
			continue
		}
		if f, err := strconv.ParseFloat(v, 64); err == nil {
			m[k] = strconv.FormatFloat(f, 'f', 0, 64)
		}
	}
	return m
}

// vma is one line of /proc/<pid>/smaps with its Rss.
type vma struct {
	start, end  uint64
	perms, name string
	rss         int64 // KiB
}

func smaps(pid int) []vma {
	f, err := os.Open(fmt.Sprintf("/proc/%d/smaps", pid))
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []vma
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 {
			continue
		}
		if lo, hi, ok := strings.Cut(fields[0], "-"); ok && len(fields) >= 5 && !strings.HasSuffix(fields[0], ":") {
			s, err1 := strconv.ParseUint(lo, 16, 64)
			e, err2 := strconv.ParseUint(hi, 16, 64)
			if err1 == nil && err2 == nil {
				v := vma{start: s, end: e, perms: fields[1]}
				if len(fields) > 5 {
					v.name = fields[5]
				}
				out = append(out, v)
				continue
			}
		}
		if fields[0] == "Rss:" && len(out) > 0 {
			out[len(out)-1].rss, _ = strconv.ParseInt(fields[1], 10, 64)
		}
	}
	return out
}

// run is a stretch of adjacent anonymous mappings that belong together. The
// driver's SQLite connections each reserve their WebAssembly memory as one
// anonymous PROT_NONE mapping (256 MiB, the writer 1 GiB; see
// github.com/ncruces/go-sqlite3 internal/sqlite3_wrap/mem_unix.go) and make
// its used front read-write with mprotect, and the WAL index is mapped into
// it, so one memory shows up as read-write parts followed by a PROT_NONE
// tail. Reservations lie next to each other, so a read-write part that
// follows a PROT_NONE one starts a new run.
type run struct {
	start, end uint64
	rss        int64
	parts      []string
}

func runs(pid int) []run {
	var out []run
	for _, v := range smaps(pid) {
		if v.name != "" && !strings.HasSuffix(v.name, "-shm") {
			continue
		}
		if n := len(out); n > 0 && out[n-1].end == v.start && !(v.perms != "---p" && out[n-1].parts[len(out[n-1].parts)-1] == "---p") {
			out[n-1].end = v.end
			out[n-1].rss += v.rss
			out[n-1].parts = append(out[n-1].parts, v.perms)
			continue
		}
		out = append(out, run{start: v.start, end: v.end, rss: v.rss, parts: []string{v.perms}})
	}
	return out
}

// wasmMemories sums the resident size of the runs whose size is exactly a
// connection's reservation (256 MiB, or 1 GiB for the writer). A memory
// grown to its whole reservation would have no PROT_NONE tail and merge
// with its neighbour; the count column shows if that ever happens.
func wasmMemories(pid int) (rssKiB int64, count int) {
	for _, r := range runs(pid) {
		if size := r.end - r.start; size == 256<<20 || size == 1<<30 {
			rssKiB += r.rss
			count++
		}
	}
	return rssKiB, count
}

func appendMaps(path string, pid int, elapsed string) {
	rs := runs(pid)
	sort.Slice(rs, func(i, j int) bool { return rs[i].rss > rs[j].rss })
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return
	}
	defer f.Close()
	fmt.Fprintf(f, "# t=%ss: anonymous runs with more than 1 MiB resident\n", elapsed)
	for _, r := range rs {
		if r.rss < 1024 {
			break
		}
		fmt.Fprintf(f, "%x-%x size=%dMiB rss=%dKiB parts=%s\n", r.start, r.end, (r.end-r.start)>>20, r.rss, strings.Join(r.parts, ","))
	}
}
