package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Streams with output, a package whose name needs escaping and one whose
// name would climb out of a naive log directory.
const htmlLinuxStream = `{"Action":"start","Package":"a"}
{"Action":"run","Package":"a","Test":"TestOne"}
{"Action":"output","Package":"a","Test":"TestOne","Output":"=== RUN   TestOne\n"}
{"Action":"pass","Package":"a","Test":"TestOne"}
{"Action":"pass","Package":"a","Test":"TestOne/sub"}
{"Action":"skip","Package":"a","Test":"TestTwo"}
{"Action":"output","Package":"a","Output":"ok  \ta\t0.1s\n"}
{"Action":"pass","Package":"a"}
{"Action":"output","Package":"a/<b>","Output":"<script>alert(1)</script>\n"}
{"Action":"pass","Package":"a/<b>","Test":"TestX"}
{"Action":"pass","Package":"a/<b>"}
{"Action":"output","Package":"../../evil","Output":"evil\n"}
{"Action":"fail","Package":"../../evil"}
{"Action":"skip","Package":"c"}
`

const htmlNoneStream = `# d
build failed
null
{"ImportPath":"d [d.test]","Action":"build-output","Output":"d/x.go:1: oops\n"}
{"Action":"output","Package":"a","Test":"TestOne","Output":"=== RUN   TestOne\n"}
{"Action":"fail","Package":"a","Test":"TestOne"}
{"Action":"output","Package":"a","Output":"FAIL\ta\t0.1s\n"}
{"Action":"fail","Package":"a"}
{"Action":"output","Package":"d","Output":"FAIL\td [build failed]\n"}
{"Action":"fail","Package":"d"}`

// wantLogs are the logs' contents, by target and package.
var wantLogs = map[string]map[string]string{
	"linux/amd64": {
		"a":          "=== RUN   TestOne\nok  \ta\t0.1s\n",
		"a/<b>":      "<script>alert(1)</script>\n",
		"../../evil": "evil\n",
	},
	"none/amd64": {
		"":  "# d\nbuild failed\nnull\nd/x.go:1: oops\n",
		"a": "=== RUN   TestOne\nFAIL\ta\t0.1s\n",
		"d": "FAIL\td [build failed]\n",
	},
}

// makeTargets writes each stream to a file, its logs under out/<name>, and
// returns the targets, read as main reads them.
func makeTargets(t *testing.T, out string, streams [][2]string, walls []float64) []matrixTarget {
	t.Helper()
	var targets []matrixTarget
	for i, s := range streams {
		name, stream := s[0], s[1]
		file := filepath.Join(t.TempDir(), "stream.json")
		if err := os.WriteFile(file, []byte(stream), 0o644); err != nil {
			t.Fatal(err)
		}
		res, err := readFile(file)
		if err != nil {
			t.Fatal(err)
		}
		logs, err := writeLogs(file, filepath.Join(out, strings.ReplaceAll(name, "/", "-")))
		if err != nil {
			t.Fatal(err)
		}
		targets = append(targets, matrixTarget{Name: name, Res: res, Wall: walls[i], Logs: logs})
	}
	return targets
}

// logFile is the file a link from a page in dir names, or an error if it
// names none there or leaves dir.
func logFile(dir, link string) (string, error) {
	u, err := url.Parse(link)
	if err != nil {
		return "", err
	}
	if u.Scheme != "" || u.Host != "" || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("link %q is not a plain relative path", link)
	}
	rel := filepath.FromSlash(u.Path)
	if !filepath.IsLocal(rel) {
		return "", fmt.Errorf("link %q leaves the page's directory", link)
	}
	return filepath.Join(dir, rel), nil
}

// cellRE matches a matrix cell as the template writes it.
var cellRE = regexp.MustCompile(`<td class="([a-z]+)" title="[^"]*" data-target="([^"]+)" data-status="([a-z]+)" data-pass="(\d+)" data-fail="(\d+)" data-skip="(\d+)">`)

func TestHTMLAndLogs(t *testing.T) {
	out := t.TempDir()
	targets := makeTargets(t, out, [][2]string{
		{"linux/amd64", htmlLinuxStream}, {"none/amd64", htmlNoneStream},
	}, []float64{10, 0})

	// Links name exactly the logs wanted, each in its target's directory.
	for _, tg := range targets {
		logDir := filepath.Join(out, strings.ReplaceAll(tg.Name, "/", "-"))
		want := wantLogs[tg.Name]
		if len(tg.Logs) != len(want) {
			t.Errorf("%s: links %v, want one for each of %d logs", tg.Name, tg.Logs, len(want))
		}
		for pkg, link := range tg.Logs {
			file, err := logFile(out, link)
			if err != nil {
				t.Errorf("%s %q: %v", tg.Name, pkg, err)
				continue
			}
			if rel, err := filepath.Rel(logDir, file); err != nil || !filepath.IsLocal(rel) || strings.ContainsRune(rel, filepath.Separator) {
				t.Errorf("%s %q: log %s is not a file of %s", tg.Name, pkg, file, logDir)
			}
			got, err := os.ReadFile(file)
			if err != nil {
				t.Errorf("%s %q: %v", tg.Name, pkg, err)
			} else if w, ok := want[pkg]; !ok || string(got) != w {
				t.Errorf("%s %q: log %q, want %q", tg.Name, pkg, got, w)
			}
		}
		ents, err := os.ReadDir(logDir)
		if err != nil || len(ents) != len(want) {
			t.Errorf("%s: %d files in %s (%v), want %d", tg.Name, len(ents), logDir, err, len(want))
		}
	}
	// Nothing was written beside the log directories.
	if ents, _ := os.ReadDir(out); len(ents) != 2 {
		t.Errorf("%d entries in %s, want the 2 log directories", len(ents), out)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(out), "evil.txt")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a log escaped: %v", err)
	}

	var page strings.Builder
	if err := writeHTML(&page, `std tests <&>`, targets); err != nil {
		t.Fatal(err)
	}
	p := page.String()
	if err := os.WriteFile(filepath.Join(out, "report.html"), []byte(p), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"<title>std tests &lt;&amp;&gt;</title>",
		"<th>a/&lt;b&gt;</th>",
		`id="total-none/amd64-pkgok"`,
		`<td id="total-linux/amd64-wall">10s</td>`,
		`<td id="total-none/amd64-wall">?</td>`,
	} {
		if !strings.Contains(p, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	for _, bad := range []string{"<b>", "<script>alert", "<&>"} {
		if strings.Contains(p, bad) {
			t.Errorf("page holds unescaped %q", bad)
		}
	}
	// Every link on the page names a log that exists.
	hrefs := regexp.MustCompile(`href="([^"]*)"`).FindAllStringSubmatch(p, -1)
	if n := len(wantLogs["linux/amd64"]) + len(wantLogs["none/amd64"]); len(hrefs) != n {
		t.Errorf("%d links on the page, want %d", len(hrefs), n)
	}
	for _, m := range hrefs {
		file, err := logFile(out, html.UnescapeString(m[1]))
		if err == nil {
			_, err = os.Stat(file)
		}
		if err != nil {
			t.Errorf("link %q: %v", m[1], err)
		}
	}
	// The cells: one per package and target, their data as counts sums it.
	cells := cellRE.FindAllStringSubmatch(p, -1)
	if len(cells) != 5*2 { // a, a/<b>, ../../evil, c, d
		t.Errorf("%d cells, want 10", len(cells))
	}
	sums := map[string]*counts{}
	for _, m := range cells {
		c := sums[m[2]]
		if c == nil {
			c = new(counts)
			sums[m[2]] = c
		}
		switch m[3] {
		case "pass":
			c.pkgOK++
		case "fail":
			c.pkgFail++
		case "skip":
			c.pkgNoTests++
		}
		n := func(s string) int { i, _ := strconv.Atoi(s); return i }
		c.pass += n(m[4])
		c.fail += n(m[5])
		c.skip += n(m[6])
	}
	for _, tg := range targets {
		if got, want := sums[tg.Name], tg.Res.counts(); got == nil || *got != want {
			t.Errorf("%s: cells sum to %+v, want %+v", tg.Name, got, want)
		}
	}
	if !strings.Contains(p, `<td class="absent" title="none/amd64 c: not run, 0 passed, 0 failed, 0 skipped" data-target="none/amd64" data-status="absent"`) {
		t.Error("no absent cell for c on none/amd64")
	}
}

func TestHTMLTargetNames(t *testing.T) {
	for _, names := range [][]string{{""}, {"none amd64"}, {"a\tb"}, {"x", "x"}} {
		var ts []matrixTarget
		for _, n := range names {
			ts = append(ts, matrixTarget{Name: n})
		}
		if err := writeHTML(new(strings.Builder), "t", ts); err == nil {
			t.Errorf("targets %q: no error", names)
		}
	}
}

func TestLogName(t *testing.T) {
	long := strings.Repeat("x/", 200)
	names := map[string]string{}
	for _, pkg := range []string{"a/b", "a_b", "a~5Fb", "a~5fb", "build-output", "build~2Doutput",
		".", "..", "../..", "a/../../b", `a\b`, "a:b", "é", long + "1", long + "2"} {
		name := logName(pkg)
		if !filepath.IsLocal(name) || strings.ContainsAny(name, `/\`) || len(name) > 255 {
			t.Errorf("logName(%q) = %q: not a plain file name", pkg, name)
		}
		if name == buildOutputLog {
			t.Errorf("logName(%q) is the build output's", pkg)
		}
		if other, ok := names[name]; ok {
			t.Errorf("logName(%q) = logName(%q) = %q", pkg, other, name)
		}
		names[name] = pkg
	}
	if got := logName("net/http/internal"); got != "net_http_internal.txt" {
		t.Errorf("logName(net/http/internal) = %q", got)
	}
}

// genStream is a stream of n packages whose outcomes vary with seed: tests
// passed, failed and skipped, subtests (not counted), packages without test
// files, packages absent, and one with tests but cut short.
func genStream(n, seed int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		if seed > 0 && i%13 == seed {
			continue // not run on this target
		}
		pkg := fmt.Sprintf("p%03d/x", i)
		fmt.Fprintf(&b, "{\"Action\":\"output\",\"Package\":%q,\"Output\":\"log of %s\\n\"}\n", pkg, pkg)
		k := (i + seed) % 7
		if k == 0 && i%3 == 0 {
			fmt.Fprintf(&b, "{\"Action\":\"skip\",\"Package\":%q}\n", pkg)
			continue
		}
		failed := false
		for j := 0; j < k; j++ {
			a := "pass"
			switch {
			case (i+j+seed)%11 == 0:
				a, failed = "fail", true
			case (i*j+seed)%5 == 0:
				a = "skip"
			}
			fmt.Fprintf(&b, "{\"Action\":%q,\"Package\":%q,\"Test\":\"Test%d\"}\n", a, pkg, j)
			fmt.Fprintf(&b, "{\"Action\":\"fail\",\"Package\":%q,\"Test\":\"Test%d/sub\"}\n", pkg, j)
		}
		if i == n-1 {
			continue // cut short: tests, no package outcome
		}
		a := "pass"
		if failed {
			a = "fail"
		}
		fmt.Fprintf(&b, "{\"Action\":%q,\"Package\":%q}\n", a, pkg)
	}
	return b.String()
}

// TestHTMLBrowser renders the page in headless Chromium and reads back the
// totals its script computed, which must be result.counts.
func TestHTMLBrowser(t *testing.T) {
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		chromium, err = exec.LookPath("chromium-browser")
	}
	if err != nil {
		if os.Getenv("NONEHOST_NO_BROWSER") == "1" {
			t.Skip("no chromium, and NONEHOST_NO_BROWSER=1")
		}
		t.Fatal("no chromium on PATH (scripts/setup-deps.sh installs it; NONEHOST_NO_BROWSER=1 skips this test)")
	}
	out := t.TempDir()
	// The builder's columns for two architectures: linux/A, none/A for each.
	targets := makeTargets(t, out, [][2]string{
		{"linux/amd64", genStream(300, 0) + htmlLinuxStream},
		{"none/amd64", genStream(300, 1) + htmlNoneStream},
		{"linux/arm64", genStream(300, 3)},
		{"none/arm64", genStream(40, 2)},
	}, []float64{95.4, 300, 410, 0})
	page := filepath.Join(out, "report.html")
	f, err := os.Create(page)
	if err != nil {
		t.Fatal(err)
	}
	err = writeHTML(f, "std tests", targets)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}

	home := t.TempDir() // Chromium writes caches and crash reports under HOME
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromium,
		"--headless", "--disable-gpu",
		// As root Chromium refuses to start with its sandbox (it needs an
		// unprivileged user for its namespaces); the page is ours and local.
		"--no-sandbox",
		"--user-data-dir="+t.TempDir(),
		"--no-first-run", "--no-default-browser-check", "--disable-extensions",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		// The page needs no network; whatever Chromium itself would fetch
		// goes to a closed port here and resolves no name.
		"--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND",
		"--dump-dom", (&url.URL{Scheme: "file", Path: page}).String())
	cmd.Env = append(os.Environ(), "HOME="+home, "XDG_CONFIG_HOME="+home, "XDG_CACHE_HOME="+home)
	// Chromium's helpers share its process group: a timeout ends them all.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 10 * time.Second
	var stderr strings.Builder
	cmd.Stderr = &stderr
	start := time.Now()
	dom, err := cmd.Output()
	t.Logf("chromium took %v", time.Since(start).Round(time.Millisecond))
	if cmd.Process != nil {
		endGroup(cmd.Process.Pid)
	}
	if err != nil {
		t.Fatalf("chromium: %v\n%s", err, stderr.String())
	}

	got := map[string]map[string]int{}
	re := regexp.MustCompile(`<span id="total-([^"]+)-(pkgok|pkgfail|pkgnotests|pass|fail|skip)">([^<]*)</span>`)
	for _, m := range re.FindAllStringSubmatch(string(dom), -1) {
		n, err := strconv.Atoi(m[3])
		if err != nil {
			t.Errorf("total-%s-%s is %q: the script did not write it", m[1], m[2], m[3])
			continue
		}
		name := html.UnescapeString(m[1])
		if got[name] == nil {
			got[name] = map[string]int{}
		}
		got[name][m[2]] = n
	}
	for _, tg := range targets {
		c := tg.Res.counts()
		want := map[string]int{"pkgok": c.pkgOK, "pkgfail": c.pkgFail, "pkgnotests": c.pkgNoTests,
			"pass": c.pass, "fail": c.fail, "skip": c.skip}
		if fmt.Sprint(got[tg.Name]) != fmt.Sprint(want) {
			t.Errorf("%s: page totals %v, want %v", tg.Name, got[tg.Name], want)
		}
	}
	if len(got) != len(targets) {
		t.Errorf("totals for %d targets, want %d", len(got), len(targets))
	}
	// The whole matrix made it into the DOM.
	pkgs := map[string]bool{}
	for _, tg := range targets {
		for pkg := range tg.Res.pkgs {
			pkgs[pkg] = true
		}
		for pkg := range tg.Res.tests {
			pkgs[pkg] = true
		}
	}
	if n := strings.Count(string(dom), "data-status="); n != len(pkgs)*len(targets) {
		t.Errorf("%d cells in the DOM, want %d", n, len(pkgs)*len(targets))
	}
}

// endGroup kills what is left of process group pgid and waits, a few
// seconds at most, until none of it runs (zombies hold no files): Chromium's
// helpers may outlive it briefly, and must not write into the temporary
// directories while t.TempDir removes them.
func endGroup(pgid int) {
	syscall.Kill(-pgid, syscall.SIGKILL)
	for end := time.Now().Add(5 * time.Second); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		if !groupRuns(pgid) {
			return
		}
	}
}

func groupRuns(pgid int) bool {
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, f := range stats {
		b, err := os.ReadFile(f)
		i := bytes.LastIndexByte(b, ')') // the name, in parentheses, may hold anything
		if err != nil || i < 0 {
			continue
		}
		// After the name: state, parent, process group.
		if fs := strings.Fields(string(b[i+1:])); len(fs) >= 3 && fs[0] != "Z" && fs[2] == strconv.Itoa(pgid) {
			return true
		}
	}
	return false
}
