// Package ownership checks statically that only the package owning a table writes to it: the
// rule "one owner per table" of ARCHITECTURE.md. Every other package goes through the owner's
// functions.
package ownership

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// owners maps every table of migrations/*.up.sql to the import path, relative to the module,
// of the one package allowed to write it. Packages under the owner (its test helpers such as
// organizations/orgtest) share its right.
var owners = map[string]string{
	"bun_migrations":              "app/db",
	"bun_migration_locks":         "app/db",
	"users":                       "app/users",
	"attachments":                 "app/attachments",
	"attachment_contents":         "app/attachments",
	"agencies":                    "app/agencies",
	"deadline_reminders":          "app/reminders",
	"declaration_changes":         "app/declarations",
	"verification_tokens":         "app/users",
	"sign_in_failures":            "app/users",
	"sessions":                    "app/web",
	"kv_storage":                  "app/web",
	"audit_log":                   "app/audit",
	"job_runs":                    "jobs",
	"email_outbox":                "app/mail",
	"email_outbox_attachments":    "app/mail",
	"organizations":               "app/organizations",
	"addresses":                   "app/organizations",
	"collaborators":               "app/organizations",
	"organization_invitations":    "app/organizations",
	"ticketing_systems":           "app/synchronization",
	"synchronization_runs":        "app/synchronization",
	"synchronization_run_systems": "app/synchronization",
	"event_series":                "app/declarations",
	"events":                      "app/declarations",
	"places":                      "app/declarations",
	"event_serie_declarations":    "app/declarations",
	"transmissions":               "app/transmissions",
	"transmission_attempts":       "app/transmissions",
	"maintenance_banner":          "app/admin",
	"job_run_requests":            "jobs",
	"statistics_monthly":          "app/statistics",
}

// scanned are the source trees whose non-test files are checked.
var scanned = []string{"app", "jobs"}

func TestOnlyTheOwnerWritesATable(t *testing.T) {
	root := moduleRoot(t)
	checkEveryTableHasAnOwner(t, root)
	pkgs, err := loadTree(root, scanned)
	if err != nil {
		t.Fatal(err)
	}
	var writes []write
	for _, p := range pkgs {
		writes = append(writes, p.writes()...)
	}
	if len(writes) == 0 {
		t.Fatal("the detector found no write at all: it is broken")
	}
	if v := violations(writes); len(v) > 0 {
		t.Errorf("%d writes to a table by a package that does not own it (table <- package (file:line)); "+
			"call the owner's functions instead:\n%s", len(v), strings.Join(v, "\n"))
	}
}

// TestDetectorFindsEveryKindOfWrite runs the detector on a small module written for the test, so
// that the main test cannot pass by detecting nothing.
func TestDetectorFindsEveryKindOfWrite(t *testing.T) {
	root := t.TempDir()
	files := map[string]string{
		"app/organizations/store.go": `package organizations

import "github.com/uptrace/bun"

type Organization struct {
	bun.BaseModel ` + "`bun:\"table:organizations,alias:o\"`" + `
	ID string
}

func Rename(db bun.IDB, o *Organization) error {
	_, err := db.NewUpdate().Model(o).Column("name").WherePK().Exec(nil)
	return err
}
`,
		"app/intruder/intruder.go": `package intruder

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/uptrace/bun"

	"example/app/organizations"
)

type Address struct {
	bun.BaseModel
	ID string
}

var target = pgx.Identifier{"public", "events"}

func Write(ctx context.Context, db bun.IDB, conn *pgx.Conn, orgs []organizations.Organization) {
	db.NewInsert().Model(&orgs).Exec(ctx)
	q := db.NewDelete()
	q = q.Where("id = ?", 1)
	q.TableExpr("sessions AS s").Exec(ctx)
	db.NewUpdate().Table("users").Set("x = 1").Exec(ctx)
	db.NewInsert().Model(&Address{}).Exec(ctx)
	db.NewRaw(` + "`" + `UPDATE "audit_log" SET x = 1` + "`" + `).Exec(ctx)
	db.ExecContext(ctx, "DELETE FROM public.job_runs WHERE id = $1; select 1 for update of users", 1)
	db.NewRaw("INSERT INTO kv_storage (k) VALUES (1) ON CONFLICT (k) DO UPDATE SET k = 2").Exec(ctx)
	conn.CopyFrom(ctx, target, nil, nil)
	conn.CopyFrom(ctx, pgx.Identifier{"places"}, nil, nil)
	db.NewSelect().Model(&orgs).Scan(ctx)
}
`,
	}
	for name, src := range files {
		path := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(root, "go.mod"), []byte("module example\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	pkgs, err := loadTree(root, []string{"app"})
	if err != nil {
		t.Fatal(err)
	}
	var writes []write
	for _, p := range pkgs {
		writes = append(writes, p.writes()...)
	}
	got := violations(writes)
	want := []string{
		"addresses <- app/intruder (app/intruder/intruder.go:25)",
		"audit_log <- app/intruder (app/intruder/intruder.go:26)",
		"events <- app/intruder (app/intruder/intruder.go:29)",
		"job_runs <- app/intruder (app/intruder/intruder.go:27)",
		"kv_storage <- app/intruder (app/intruder/intruder.go:28)",
		"organizations <- app/intruder (app/intruder/intruder.go:20)",
		"places <- app/intruder (app/intruder/intruder.go:30)",
		"sessions <- app/intruder (app/intruder/intruder.go:23)",
		"users <- app/intruder (app/intruder/intruder.go:24)",
	}
	if !slices.Equal(got, want) {
		t.Errorf("violations:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// The owner's own update is a write, and an allowed one.
	var ownerWrites int
	for _, w := range writes {
		if w.pkg == "app/organizations" && w.table == "organizations" {
			ownerWrites++
		}
	}
	if ownerWrites != 1 {
		t.Errorf("the owner's update was seen %d times, want 1", ownerWrites)
	}
}

// checkEveryTableHasAnOwner keeps the map in step with the migrations.
func checkEveryTableHasAnOwner(t *testing.T, root string) {
	t.Helper()
	ups, err := filepath.Glob(filepath.Join(root, "migrations", "*.up.sql"))
	if err != nil || len(ups) == 0 {
		t.Fatalf("no migration found (%v)", err)
	}
	create := regexp.MustCompile(`(?i)\bCREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(?:public\.)?"?([a-z_][a-z0-9_]*)`)
	for _, up := range ups {
		sql, err := os.ReadFile(up)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range create.FindAllStringSubmatch(string(sql), -1) {
			if _, ok := owners[m[1]]; !ok {
				t.Errorf("table %s (%s) has no owner in the map of this test", m[1], filepath.Base(up))
			}
		}
	}
}

// write is one statement writing a table, found in package pkg.
type write struct {
	table string
	pkg   string
	pos   string
}

// violations lists, sorted, the writes made outside the owner (or a package under it).
func violations(writes []write) []string {
	var out []string
	for _, w := range writes {
		owner, known := owners[w.table]
		if known && (w.pkg == owner || strings.HasPrefix(w.pkg, owner+"/")) {
			continue
		}
		out = append(out, fmt.Sprintf("%s <- %s (%s)", w.table, w.pkg, w.pos))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found")
		}
		dir = parent
	}
}

// pkg is one type-checked package of the module.
type pkg struct {
	rel   string // import path relative to the module
	root  string
	fset  *token.FileSet
	files []*ast.File
	info  *types.Info
}

// loadTree parses the non-test files of every package under dirs and type-checks the module's
// packages against each other. Packages outside the module are replaced by empty ones: the
// detector only needs the module's own types (the models passed to Bun), and checking the
// dependencies from source would take most of the test's time budget. Type errors this causes
// (unknown bun.X, pgx.X...) are expected and ignored.
func loadTree(root string, dirs []string) (map[string]*pkg, error) {
	modFile, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return nil, err
	}
	module := ""
	for line := range strings.Lines(string(modFile)) {
		if rest, ok := strings.CutPrefix(line, "module "); ok {
			module = strings.TrimSpace(rest)
		}
	}
	fset := token.NewFileSet()
	pkgs := map[string]*pkg{}
	for _, d := range dirs {
		err := filepath.WalkDir(filepath.Join(root, d), func(path string, e os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			name := e.Name()
			if e.IsDir() {
				if name == "testdata" || (strings.HasPrefix(name, ".") && path != root) {
					return filepath.SkipDir
				}
				return nil
			}
			if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
				return nil
			}
			f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
			if err != nil {
				return err
			}
			rel, err := filepath.Rel(root, filepath.Dir(path))
			if err != nil {
				return err
			}
			rel = filepath.ToSlash(rel)
			p := pkgs[rel]
			if p == nil {
				p = &pkg{rel: rel, root: root, fset: fset}
				pkgs[rel] = p
			}
			p.files = append(p.files, f)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	imp := &moduleImporter{module: module, pkgs: pkgs, done: map[string]*types.Package{}, stubs: map[string]*types.Package{}}
	for rel := range pkgs {
		if _, err := imp.Import(module + "/" + rel); err != nil {
			return nil, err
		}
	}
	return pkgs, nil
}

// moduleImporter type-checks the module's packages on demand and stubs every other import.
type moduleImporter struct {
	module string
	pkgs   map[string]*pkg
	done   map[string]*types.Package
	stubs  map[string]*types.Package
}

func (m *moduleImporter) Import(path string) (*types.Package, error) {
	if tp, ok := m.done[path]; ok {
		return tp, nil
	}
	rel, inModule := strings.CutPrefix(path, m.module+"/")
	p, ok := m.pkgs[rel]
	if !inModule || !ok {
		if tp, ok := m.stubs[path]; ok {
			return tp, nil
		}
		tp := types.NewPackage(path, guessName(path))
		tp.MarkComplete()
		m.stubs[path] = tp
		return tp, nil
	}
	p.info = &types.Info{
		Types: map[ast.Expr]types.TypeAndValue{},
		Defs:  map[*ast.Ident]types.Object{},
		Uses:  map[*ast.Ident]types.Object{},
	}
	conf := types.Config{Importer: m, Error: func(error) {}}
	tp, _ := conf.Check(path, p.fset, p.files, p.info)
	m.done[path] = tp
	return tp, nil
}

// guessName is the usual package name of an import path: github.com/jackc/pgx/v5 is pgx,
// gopkg.in/yaml.v3 is yaml, go-i18n is i18n.
func guessName(path string) string {
	parts := strings.Split(path, "/")
	name := parts[len(parts)-1]
	if len(parts) > 1 && regexp.MustCompile(`^v[0-9]+$`).MatchString(name) {
		name = parts[len(parts)-2]
	}
	name, _, _ = strings.Cut(name, ".")
	if i := strings.LastIndex(name, "-"); i >= 0 {
		name = name[i+1:]
	}
	return name
}

// sqlWrite finds the table of a write statement in SQL text. "DO UPDATE SET" (an upsert's
// conflict clause) and "FOR UPDATE OF x" (a row lock) are not writes of their own.
var sqlWrite = regexp.MustCompile(`(?i)(?:^|[^a-z0-9_])(INSERT\s+INTO|UPDATE|DELETE\s+FROM|COPY|TRUNCATE(?:\s+TABLE)?|MERGE\s+INTO)\s+(?:ONLY\s+)?(?:"?public"?\.)?"?([a-z_][a-z0-9_]*)`)

var notAWrite = regexp.MustCompile(`(?i)(?:\bDO|\bFOR|\bKEY|\bNO\s+KEY)\s+$`)

// bunWrites are the Bun query constructors that write.
var bunWrites = map[string]bool{"NewInsert": true, "NewUpdate": true, "NewDelete": true, "NewMerge": true, "NewTruncateTable": true}

// writes lists the writes of the package's files.
func (p *pkg) writes() []write {
	var out []write
	add := func(table string, at token.Pos) {
		pos := p.fset.Position(at)
		file, err := filepath.Rel(p.root, pos.Filename)
		if err != nil {
			file = pos.Filename
		}
		out = append(out, write{table: table, pkg: p.rel, pos: fmt.Sprintf("%s:%d", filepath.ToSlash(file), pos.Line)})
	}
	identifiers := p.identifierValues()
	for _, f := range p.files {
		// Variables holding a Bun write query (q := db.NewDelete(); q.Table("x")).
		writeVars := map[types.Object]bool{}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.AssignStmt:
				for i, rhs := range n.Rhs {
					if i < len(n.Lhs) && p.isWriteChain(rhs, writeVars) {
						if id, ok := n.Lhs[i].(*ast.Ident); ok {
							if obj := p.object(id); obj != nil {
								writeVars[obj] = true
							}
						}
					}
				}
			case *ast.ValueSpec:
				for i, v := range n.Values {
					if i < len(n.Names) && p.isWriteChain(v, writeVars) {
						if obj := p.object(n.Names[i]); obj != nil {
							writeVars[obj] = true
						}
					}
				}
			case *ast.BasicLit:
				if n.Kind != token.STRING {
					return true
				}
				s, err := strconv.Unquote(n.Value)
				if err != nil {
					return true
				}
				for _, m := range sqlWrite.FindAllStringSubmatchIndex(s, -1) {
					if notAWrite.MatchString(s[:m[2]]) {
						continue
					}
					table := strings.ToLower(s[m[4]:m[5]])
					if _, ok := owners[table]; ok {
						add(table, n.Pos())
					}
				}
			case *ast.CallExpr:
				sel, ok := n.Fun.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				switch sel.Sel.Name {
				case "Table", "TableExpr", "ModelTableExpr":
					if len(n.Args) > 0 && p.isWriteChain(sel.X, writeVars) {
						if s, ok := p.constString(n.Args[0]); ok {
							add(firstWord(s), n.Pos())
						}
					}
				case "Model":
					if len(n.Args) == 1 && p.isWriteChain(sel.X, writeVars) {
						if table := p.modelTable(n.Args[0]); table != "" {
							add(table, n.Pos())
						}
					}
				case "CopyFrom":
					for _, a := range n.Args {
						if table, ok := identifiers[ast.Unparen(a)]; ok {
							add(table, n.Pos())
						} else if id, ok := ast.Unparen(a).(*ast.Ident); ok {
							if table, ok := identifiers[p.declaration(id)]; ok {
								add(table, n.Pos())
							}
						}
					}
				}
			}
			return true
		})
	}
	return out
}

// isWriteChain tells whether e is a Bun query chain started by a writing constructor, directly
// or through a variable holding one.
func (p *pkg) isWriteChain(e ast.Expr, writeVars map[types.Object]bool) bool {
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.CallExpr:
			sel, ok := x.Fun.(*ast.SelectorExpr)
			if !ok {
				return false
			}
			if bunWrites[sel.Sel.Name] {
				return true
			}
			e = sel.X
		case *ast.Ident:
			obj := p.object(x)
			return obj != nil && writeVars[obj]
		default:
			return false
		}
	}
}

func (p *pkg) object(id *ast.Ident) types.Object {
	if obj := p.info.Defs[id]; obj != nil {
		return obj
	}
	return p.info.Uses[id]
}

// declaration is the expression a variable was initialised with, if it is declared once with a
// value in the package.
func (p *pkg) declaration(id *ast.Ident) ast.Expr {
	obj := p.object(id)
	if obj == nil {
		return nil
	}
	var found ast.Expr
	for _, f := range p.files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.ValueSpec:
				for i, name := range n.Names {
					if i < len(n.Values) && p.info.Defs[name] == obj {
						found = ast.Unparen(n.Values[i])
					}
				}
			case *ast.AssignStmt:
				for i, lhs := range n.Lhs {
					if name, ok := lhs.(*ast.Ident); ok && i < len(n.Rhs) && p.info.Defs[name] == obj {
						found = ast.Unparen(n.Rhs[i])
					}
				}
			}
			return true
		})
	}
	return found
}

// identifierValues maps every pgx.Identifier{...} literal of the package to the table it names.
func (p *pkg) identifierValues() map[ast.Expr]string {
	out := map[ast.Expr]string{}
	for _, f := range p.files {
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.CompositeLit)
			if !ok || len(lit.Elts) == 0 {
				return true
			}
			sel, ok := lit.Type.(*ast.SelectorExpr)
			if !ok || sel.Sel.Name != "Identifier" {
				return true
			}
			if s, ok := p.constString(lit.Elts[len(lit.Elts)-1]); ok {
				out[lit] = s
			}
			return true
		})
	}
	return out
}

// constString is the value of a constant string expression.
func (p *pkg) constString(e ast.Expr) (string, bool) {
	if tv, ok := p.info.Types[e]; ok && tv.Value != nil {
		if s, err := strconv.Unquote(tv.Value.ExactString()); err == nil {
			return s, true
		}
	}
	if lit, ok := ast.Unparen(e).(*ast.BasicLit); ok && lit.Kind == token.STRING {
		s, err := strconv.Unquote(lit.Value)
		return s, err == nil
	}
	return "", false
}

// firstWord is the table of "x AS y", `"x"` or "public.x".
func firstWord(s string) string {
	fields := strings.Fields(s)
	if len(fields) == 0 {
		return ""
	}
	w := strings.Trim(fields[0], `"`)
	w = strings.TrimPrefix(w, "public.")
	return strings.ToLower(strings.Trim(w, `"`))
}

// modelTable is the table of a value passed to Model: its struct type (through pointers, slices
// and arrays) names it in the tag of its bun.BaseModel field, or by Bun's default, the
// pluralized snake case of the type's name. An unresolved type gives "?" so that it is reported
// rather than silently allowed.
func (p *pkg) modelTable(e ast.Expr) string {
	tv, ok := p.info.Types[e]
	if !ok || tv.Type == nil {
		return "?"
	}
	t := tv.Type
	for {
		switch u := t.(type) {
		case *types.Pointer:
			t = u.Elem()
			continue
		case *types.Slice:
			t = u.Elem()
			continue
		case *types.Array:
			t = u.Elem()
			continue
		}
		break
	}
	named, ok := types.Unalias(t).(*types.Named)
	if !ok {
		return "?"
	}
	st, ok := named.Underlying().(*types.Struct)
	if !ok {
		return "?"
	}
	for i := range st.NumFields() {
		if st.Field(i).Name() != "BaseModel" {
			continue
		}
		for opt := range strings.SplitSeq(reflect.StructTag(st.Tag(i)).Get("bun"), ",") {
			if table, ok := strings.CutPrefix(opt, "table:"); ok {
				return firstWord(table)
			}
		}
		return bunDefaultTable(named.Obj().Name())
	}
	return "?"
}

// bunDefaultTable is Bun's default table name: the type's name in snake case, pluralized.
func bunDefaultTable(name string) string {
	var b strings.Builder
	for i, r := range name {
		if r >= 'A' && r <= 'Z' {
			if i > 0 {
				b.WriteByte('_')
			}
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	s := b.String()
	switch {
	case strings.HasSuffix(s, "y") && !strings.HasSuffix(s, "ey"):
		return strings.TrimSuffix(s, "y") + "ies"
	case strings.HasSuffix(s, "s"), strings.HasSuffix(s, "x"), strings.HasSuffix(s, "sh"), strings.HasSuffix(s, "ch"):
		return s + "es"
	}
	return s + "s"
}
