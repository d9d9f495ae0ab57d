package main

// The HTML report: a package × target matrix in the manner of Go's build
// dashboard, one self-contained page (inline CSS and script, nothing
// fetched), with one plain-text log per package and target beside it.
//
// Layout on disk: the page in a directory D, each target's logs in a
// directory of D's (writeLogs(stream, "D/linux-amd64")), so that the links
// writeLogs returns, relative to D, work from the page as file:// or served.
//
// Stable hooks for scripts and tests:
//   - every matrix cell is <td data-target=T data-status=S data-pass=N
//     data-fail=N data-skip=N>: T the target's name, S the package's
//     test2json outcome (pass, fail, skip = no test files) or "absent" (the
//     target has no outcome for the package), N its top-level test counts;
//   - the totals the inline script computes from those cells are written
//     into the elements with id "total-T-F", F one of pkgok, pkgfail,
//     pkgnotests, pass, fail, skip; "total-T-wall" holds the wall time.
//     Target names may hold no whitespace (HTML ids may not) and the fields
//     hold no "-", so every id is valid and names one (target, field) pair.

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// buildOutputLog holds a stream's lines that belong to no package: go
// test's build output. Its "-" keeps it apart from every logName.
const buildOutputLog = "build-output.txt"

// logName is the file name of pkg's log. Letters, digits and "." are kept,
// "/" becomes "_" and every other byte "~XX" (hex), so distinct packages get
// distinct names, readable for import paths, and no name holds a separator
// (it can only name a file in the log directory: "../x" is ".._x.txt").
// Names past 200 bytes are cut and told apart by a hash after a "=", which
// no uncut name holds.
func logName(pkg string) string {
	var b strings.Builder
	for i := 0; i < len(pkg); i++ {
		switch c := pkg[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '.':
			b.WriteByte(c)
		case c == '/':
			b.WriteByte('_')
		default:
			fmt.Fprintf(&b, "~%02X", c)
		}
	}
	name := b.String()
	if len(name) > 200 { // file systems cap a name at 255 bytes
		sum := sha256.Sum256([]byte(pkg))
		name = name[:160] + "=" + hex.EncodeToString(sum[:16])
	}
	return name + ".txt"
}

// logEvent is the part of a test2json event a log needs.
type logEvent struct {
	Package string
	Output  string
}

// writeLogs splits the test2json stream in the file stream into one
// plain-text log per package, written into dir (made if need be): the
// Output of that package's events, in stream order, in dir/logName(pkg);
// a package with no output gets no log.
// Lines that are not JSON events, and events of no package (go test's
// build-output), go to dir/build-output.txt.
//
// It returns package -> link to its log, relative to dir's parent, where
// the HTML page is meant to be: "./linux-amd64/net_http.txt", slash
// separated and URL-escaped. The key "" is the build output's log, present
// only when there is some.
func writeLogs(stream, dir string) (map[string]string, error) {
	f, err := os.Open(stream)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	abs, err := filepath.Abs(dir) // dir "." still needs its own name in the links
	if err != nil {
		return nil, err
	}
	logs := map[string]*bytes.Buffer{}
	add := func(pkg string, s []byte) {
		if len(s) == 0 {
			return // events without output (start, pass...) make no log
		}
		if logs[pkg] == nil {
			logs[pkg] = new(bytes.Buffer)
		}
		logs[pkg].Write(s)
	}
	// A bufio.Reader rather than a Scanner: one line of output may be
	// longer than any buffer fixed in advance.
	r := bufio.NewReaderSize(f, 1<<20)
	for {
		line, rerr := r.ReadBytes('\n')
		if len(line) > 0 {
			var e logEvent
			trimmed := bytes.TrimSpace(line)
			switch {
			// "{" first: json.Unmarshal takes "null" into a struct too.
			case !bytes.HasPrefix(trimmed, []byte("{")) || json.Unmarshal(trimmed, &e) != nil:
				if !bytes.HasSuffix(line, []byte("\n")) {
					line = append(line, '\n')
				}
				add("", line)
			case e.Package == "":
				add("", []byte(e.Output))
			default:
				add(e.Package, []byte(e.Output))
			}
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			return nil, rerr
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	links := map[string]string{}
	for pkg, buf := range logs {
		name := buildOutputLog
		if pkg != "" {
			name = logName(pkg)
		}
		// logName can make no other, but a log must never land outside dir.
		if !filepath.IsLocal(name) || strings.ContainsAny(name, `/\`) {
			return nil, fmt.Errorf("log name %q for package %q is not a plain file name", name, pkg)
		}
		if err := os.WriteFile(filepath.Join(dir, name), buf.Bytes(), 0o644); err != nil {
			return nil, err
		}
		// "./" first: a first segment with a ":" would read as a scheme.
		links[pkg] = "./" + url.PathEscape(filepath.Base(abs)) + "/" + url.PathEscape(name)
	}
	return links, nil
}

// matrixTarget is one column of the page: a target's run.
type matrixTarget struct {
	Name string            // e.g. "linux/amd64", "none/amd64"; no whitespace
	Res  *result           // as read by read or readFile; nil reads as empty
	Wall float64           // seconds, 0 if unknown
	Logs map[string]string // package -> link (relative URL) to its log; "" the build output
}

// The page's data, as the template reads it.
type (
	page struct {
		Title   string
		Targets []column
		Rows    []row
	}
	column struct {
		Name, Wall, BuildLog string
	}
	row struct {
		Pkg   string
		Attn  bool // outcomes differ between targets, or some test failed
		Cells []cell
	}
	cell struct {
		Target, Status, Class, Text, Title, Link string
		Pass, Fail, Skip                         int
	}
)

// outcomes maps a cell's data-status to its CSS class and words.
var outcomes = map[string]struct{ class, word string }{
	"pass":   {"ok", "ok"},
	"fail":   {"fail", "FAIL"},
	"skip":   {"notests", "no test files"},
	"absent": {"absent", "not run"},
}

// writeHTML writes the page for targets, one column each, in their order.
func writeHTML(w io.Writer, title string, targets []matrixTarget) error {
	p := page{Title: title}
	seen := map[string]bool{}
	pkgSet := map[string]bool{}
	for _, t := range targets {
		if t.Name == "" || strings.ContainsAny(t.Name, " \t\n\f\r") {
			return fmt.Errorf("target name %q: empty or with whitespace (it goes into HTML ids)", t.Name)
		}
		if seen[t.Name] {
			return fmt.Errorf("target %q twice", t.Name)
		}
		seen[t.Name] = true
		wall := "?"
		if t.Wall > 0 {
			wall = time.Duration(t.Wall * float64(time.Second)).Round(time.Second).String()
		}
		p.Targets = append(p.Targets, column{Name: t.Name, Wall: wall, BuildLog: t.Logs[""]})
		if t.Res == nil {
			continue
		}
		// Packages with tests but no outcome (a stream cut short) count too:
		// their tests are in result.counts.
		for pkg := range t.Res.pkgs {
			pkgSet[pkg] = true
		}
		for pkg := range t.Res.tests {
			pkgSet[pkg] = true
		}
	}
	pkgs := make([]string, 0, len(pkgSet))
	for pkg := range pkgSet {
		pkgs = append(pkgs, pkg)
	}
	sort.Strings(pkgs)
	for _, pkg := range pkgs {
		r := row{Pkg: pkg}
		for _, t := range targets {
			c := cell{Target: t.Name, Status: "absent"}
			if t.Res != nil {
				if a, ok := t.Res.pkgs[pkg]; ok {
					c.Status = a
				}
				for _, a := range t.Res.tests[pkg] {
					switch a { // as result.counts counts
					case "pass":
						c.Pass++
					case "fail":
						c.Fail++
					default:
						c.Skip++
					}
				}
			}
			o, ok := outcomes[c.Status]
			if !ok { // read keeps only pass, fail and skip; counts takes others as skip
				c.Status, o = "skip", outcomes["skip"]
			}
			c.Class = o.class
			switch {
			case c.Pass+c.Fail+c.Skip > 0 || c.Status == "pass" || c.Status == "fail":
				c.Text = fmt.Sprintf("%d / %d / %d", c.Pass, c.Fail, c.Skip)
			case c.Status == "skip":
				c.Text = "no tests"
			default:
				c.Text = "—"
			}
			c.Title = fmt.Sprintf("%s %s: %s, %d passed, %d failed, %d skipped",
				t.Name, pkg, o.word, c.Pass, c.Fail, c.Skip)
			c.Link = t.Logs[pkg]
			if c.Fail > 0 || (len(r.Cells) > 0 && r.Cells[0].Status != c.Status) {
				r.Attn = true
			}
			r.Cells = append(r.Cells, c)
		}
		p.Rows = append(p.Rows, r)
	}
	var buf bytes.Buffer // a failed Execute must not leave half a page
	if err := pageTemplate.Execute(&buf, p); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// pageTemplate is html/template: every name, title and link is escaped for
// where it lands (text, attribute, URL).
var pageTemplate = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
body { font: 13px/1.35 system-ui, sans-serif; margin: 1em; color: #222; }
h1 { font-size: 16px; margin: 0 0 .4em; }
p { margin: .3em 0; }
table { border-collapse: collapse; margin-top: .5em; }
th, td { border: 1px solid #ccc; padding: 1px 6px; white-space: nowrap; }
thead th, thead td { background: #f4f4f4; }
thead tr.names th { position: sticky; top: 0; z-index: 1; background: #e6e6e6; }
thead td { text-align: center; font-variant-numeric: tabular-nums; }
tbody th { text-align: left; font-weight: normal; font-family: ui-monospace, monospace; }
tbody td { text-align: center; font-variant-numeric: tabular-nums; min-width: 7em; }
tbody td a { color: inherit; text-decoration: none; display: block; }
tbody td a:hover { text-decoration: underline; }
tbody tr:hover th { background: #ffffd0; }
.ok { background: #b9e3b0; }
.fail { background: #f2a7a1; }
.notests { background: #d6d6d6; color: #555; }
.absent { background: #fff; color: #999; }
.legend span { display: inline-block; border: 1px solid #ccc; padding: 0 6px; margin-right: 4px; }
#only-attn:checked ~ table tbody tr:not(.attn) { display: none; }
</style>
</head>
<body>
<h1>{{.Title}}</h1>
<p class="legend"><span class="ok">ok</span><span class="fail">FAIL</span><span class="notests">no test files</span><span class="absent">not run</span>
Cells: top-level tests passed / failed / skipped; a cell links to the package's log for that target.</p>
<input type="checkbox" id="only-attn"><label for="only-attn"> only packages whose outcome differs between targets or with failed tests</label>
<table>
<thead>
<tr class="names"><th>package</th>{{range .Targets}}<th data-target="{{.Name}}">{{.Name}}</th>{{end}}</tr>
<tr><th>packages ok / failed / no tests</th>{{range .Targets}}<td><span id="total-{{.Name}}-pkgok">?</span> / <span id="total-{{.Name}}-pkgfail">?</span> / <span id="total-{{.Name}}-pkgnotests">?</span></td>{{end}}</tr>
<tr><th>tests passed / failed / skipped</th>{{range .Targets}}<td><span id="total-{{.Name}}-pass">?</span> / <span id="total-{{.Name}}-fail">?</span> / <span id="total-{{.Name}}-skip">?</span></td>{{end}}</tr>
<tr><th>wall time</th>{{range .Targets}}<td id="total-{{.Name}}-wall">{{.Wall}}</td>{{end}}</tr>
<tr><th>build output</th>{{range .Targets}}<td>{{if .BuildLog}}<a href="{{.BuildLog}}">log</a>{{else}}—{{end}}</td>{{end}}</tr>
</thead>
<tbody>
{{range .Rows}}<tr{{if .Attn}} class="attn"{{end}}><th>{{.Pkg}}</th>{{range .Cells}}<td class="{{.Class}}" title="{{.Title}}" data-target="{{.Target}}" data-status="{{.Status}}" data-pass="{{.Pass}}" data-fail="{{.Fail}}" data-skip="{{.Skip}}">{{if .Link}}<a href="{{.Link}}">{{.Text}}</a>{{else}}{{.Text}}{{end}}</td>{{end}}</tr>
{{end}}</tbody>
</table>
<script>
"use strict";
// The totals are summed here, from the cells, so that they cannot disagree
// with what the matrix shows.
(function () {
	var fields = ["pkgok", "pkgfail", "pkgnotests", "pass", "fail", "skip"];
	var byStatus = {pass: "pkgok", fail: "pkgfail", skip: "pkgnotests"};
	var totals = new Map();
	function total(t) {
		if (!totals.has(t)) {
			var c = {};
			fields.forEach(function (f) { c[f] = 0; });
			totals.set(t, c);
		}
		return totals.get(t);
	}
	document.querySelectorAll("thead th[data-target]").forEach(function (th) { total(th.dataset.target); });
	document.querySelectorAll("td[data-status]").forEach(function (td) {
		var c = total(td.dataset.target);
		c.pass += Number(td.dataset.pass);
		c.fail += Number(td.dataset.fail);
		c.skip += Number(td.dataset.skip);
		if (Object.prototype.hasOwnProperty.call(byStatus, td.dataset.status)) {
			c[byStatus[td.dataset.status]]++;
		}
	});
	totals.forEach(function (c, t) {
		fields.forEach(function (f) {
			var el = document.getElementById("total-" + t + "-" + f);
			if (el) {
				el.textContent = String(c[f]);
			}
		});
	});
})();
</script>
</body>
</html>
`))
