package integration

import (
	"go/ast"
	"go/constant"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The C header is the single source of truth of the ABI: the guest BSP's
// Go constants, its struct layout and the generated assembly header must
// all agree with it.

func headerValues(t *testing.T) map[string]int64 {
	src, err := os.ReadFile(filepath.Join(root, "hooks/nonehost_abi.h"))
	if err != nil {
		t.Fatal(err)
	}
	vals := map[string]int64{}
	re := regexp.MustCompile(`(?m)^\s*(?:#define\s+)?(NH_[A-Z0-9_]+)\s*=?\s*(?:UINT64_C\(|\()?(-?)(0x[0-9a-fA-F]+|[0-9]+)`)
	for _, m := range re.FindAllStringSubmatch(string(src), -1) {
		v, err := strconv.ParseUint(m[3], 0, 64)
		if err != nil {
			t.Fatal(err)
		}
		vals[m[1]] = int64(v)
		if m[2] == "-" {
			vals[m[1]] = -int64(v)
		}
	}
	return vals
}

func TestABIGoConstantsMatchHeader(t *testing.T) {
	hdr := headerValues(t)
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, filepath.Join(root, "hooks/bsp/abi.go"), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	conf := types.Config{Importer: importer.Default()}
	pkg, err := conf.Check("bsp", fset, []*ast.File{f}, nil)
	if err != nil {
		t.Fatal(err)
	}
	goName := map[string]string{
		"abiMagic": "NH_ABI_MAGIC", "abiVersion": "NH_ABI_VERSION", "getrandomMax": "NH_GETRANDOM_MAX",
		"edeadlk": "NH_EDEADLK", "enosys": "NH_ENOSYS",
	}
	checked := 0
	for _, name := range pkg.Scope().Names() {
		c, ok := pkg.Scope().Lookup(name).(*types.Const)
		if !ok {
			continue
		}
		cname := goName[name]
		for _, p := range [...]struct{ goPrefix, cPrefix string }{
			{"op", "NH_OP_"}, {"hb", "NH_HB_"}, {"at", "NH_AT_"}, {"o", "NH_O_"}, {"sig", "NH_SIG_"},
			{"lock", "NH_LOCK_"}, {"prot", "NH_PROT_"}, {"map", "NH_MAP_"},
		} {
			if cname == "" && strings.HasPrefix(name, p.goPrefix) {
				cname = p.cPrefix + strings.ToUpper(snake(name[len(p.goPrefix):]))
			}
		}
		want, ok := hdr[cname]
		if !ok {
			t.Errorf("Go constant %s has no %s in the header", name, cname)
			continue
		}
		got, _ := constant.Int64Val(c.Val())
		if got != want {
			t.Errorf("%s = %#x, header %s = %#x", name, got, cname, want)
		}
		checked++
	}
	if checked < 10 {
		t.Errorf("only %d constants checked", checked)
	}

	// hostBlock's layout is the header's NH_HB_* offsets, and nhStat is
	// struct nh_stat, on every architecture the BSP is built for (32-bit
	// arm aligns uint64 to 4 in Go, to 8 in C: no field may depend on it).
	for _, arch := range []string{"amd64", "arm64", "riscv64", "arm"} {
		t.Run(arch, func(t *testing.T) { checkLayouts(t, pkg, hdr, types.SizesFor("gc", arch)) })
	}
}

func checkLayouts(t *testing.T, pkg *types.Package, hdr map[string]int64, sizes types.Sizes) {
	hb := pkg.Scope().Lookup("hostBlock").Type().Underlying().(*types.Struct)
	var fields []*types.Var
	for i := 0; i < hb.NumFields(); i++ {
		fields = append(fields, hb.Field(i))
	}
	offs := sizes.Offsetsof(fields)
	for i, fld := range fields {
		cname := "NH_HB_" + strings.ToUpper(snake(fld.Name()))
		if fld.Name() == "reserved" {
			continue
		}
		want, ok := hdr[cname]
		if !ok {
			t.Errorf("hostBlock.%s has no %s in the header", fld.Name(), cname)
			continue
		}
		if offs[i] != want {
			t.Errorf("hostBlock.%s at %d, header %s = %d", fld.Name(), offs[i], cname, want)
		}
	}
	if got := sizes.Sizeof(hb); got != 256 {
		t.Errorf("sizeof(hostBlock) = %d, want 256", got)
	}

	// nhStat's fields are struct nh_stat's, in order, of the same sizes.
	src, _ := os.ReadFile(filepath.Join(root, "hooks/nonehost_abi.h"))
	body := regexp.MustCompile(`(?s)struct nh_stat \{(.*?)\};`).FindSubmatch(src)
	if body == nil {
		t.Fatal("no struct nh_stat in the header")
	}
	cSize := map[string]int64{"uint64_t": 8, "int64_t": 8, "uint32_t": 4}
	var cFields []int64
	for _, m := range regexp.MustCompile(`(?m)^\s*(\w+_t)\s+(\w+);`).FindAllSubmatch(body[1], -1) {
		cFields = append(cFields, cSize[string(m[1])])
	}
	st := pkg.Scope().Lookup("nhStat").Type().Underlying().(*types.Struct)
	if st.NumFields() != len(cFields) {
		t.Fatalf("nhStat has %d fields, struct nh_stat %d", st.NumFields(), len(cFields))
	}
	for i := 0; i < st.NumFields(); i++ {
		if got := sizes.Sizeof(st.Field(i).Type()); got != cFields[i] {
			t.Errorf("nhStat.%s is %d bytes, field %d of struct nh_stat %d", st.Field(i).Name(), got, i, cFields[i])
		}
	}
	if got := sizes.Sizeof(st); got != 80 {
		t.Errorf("sizeof(nhStat) = %d, want 80", got)
	}
}

func snake(s string) string {
	var b strings.Builder
	for i, r := range s {
		if r >= 'A' && r <= 'Z' && i > 0 {
			b.WriteByte('_')
		}
		b.WriteRune(r)
	}
	return b.String()
}

func TestABIAssemblyHeaderCurrent(t *testing.T) {
	out := filepath.Join(t.TempDir(), "hostblock.h")
	if msg, err := exec.Command("sh", filepath.Join(root, "hooks/genabi.sh"), out).CombinedOutput(); err != nil {
		t.Fatalf("genabi.sh: %v\n%s", err, msg)
	}
	want, _ := os.ReadFile(out)
	got, _ := os.ReadFile(filepath.Join(root, "hooks/bsp/hostblock.h"))
	if string(got) != string(want) {
		t.Errorf("hooks/bsp/hostblock.h is stale: run hooks/genabi.sh")
	}
}
