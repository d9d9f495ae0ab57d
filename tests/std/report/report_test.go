package main

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

const linuxStream = `{"Action":"start","Package":"a"}
{"Action":"run","Package":"a","Test":"TestOne"}
{"Action":"pass","Package":"a","Test":"TestOne","Elapsed":0}
{"Action":"pass","Package":"a","Test":"TestOne/sub","Elapsed":0}
{"Action":"pass","Package":"a","Test":"TestTwo","Elapsed":0}
{"Action":"skip","Package":"a","Test":"TestThree","Elapsed":0}
{"Action":"pass","Package":"a","Elapsed":0.1}
{"Action":"pass","Package":"b","Test":"TestB","Elapsed":0}
{"Action":"pass","Package":"b","Elapsed":0.1}
{"Action":"skip","Package":"c","Elapsed":0}
`

const noneStream = `{"Action":"pass","Package":"a","Test":"TestOne","Elapsed":0}
{"Action":"fail","Package":"a","Test":"TestOne/sub","Elapsed":0}
{"Action":"skip","Package":"a","Test":"TestTwo","Elapsed":0}
{"Action":"skip","Package":"a","Test":"TestThree","Elapsed":0}
{"Action":"pass","Package":"a","Elapsed":0.1}
build output that is not JSON
{"Action":"fail","Package":"b","Elapsed":0.1}
{"Action":"skip","Package":"c","Elapsed":0}
`

func TestSummary(t *testing.T) {
	linux, err := read(strings.NewReader(linuxStream))
	if err != nil {
		t.Fatal(err)
	}
	none, err := read(strings.NewReader(noneStream))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := linux.counts(), (counts{pkgOK: 2, pkgNoTests: 1, pass: 3, skip: 1}); got != want {
		t.Errorf("linux counts %+v, want %+v", got, want)
	}
	if got, want := none.counts(), (counts{pkgOK: 1, pkgFail: 1, pkgNoTests: 1, pass: 1, skip: 2}); got != want {
		t.Errorf("none counts %+v, want %+v", got, want)
	}
	var out bytes.Buffer
	summary(&out, linux, none, 10, 12)
	for _, want := range []string{
		fmt.Sprintf("%-28s %10d %10d\n", "top-level tests passed", 3, 1),
		"none/linux 1.20×",
		"2 tests pass on linux but not on none:\n  a TestTwo (skip)\n  b TestB (not run)\n",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, out.String())
		}
	}
}

func TestProgress(t *testing.T) {
	var out, status bytes.Buffer
	if err := progress(strings.NewReader(noneStream), &out, &status, 3); err != nil {
		t.Fatal(err)
	}
	if out.String() != noneStream {
		t.Errorf("the stream was not copied whole:\n%s", out.String())
	}
	if !strings.HasSuffix(status.String(), "\r3/3 packages, 1 failed, 0s   \n") {
		t.Errorf("progress line: %q", status.String())
	}
}
