package decision

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/opencredit/opencredit"
)

// Bounds on a programs file. They keep a hostile or mistaken file from
// costing more than a glance; real files are far below them.
const (
	maxFileBytes  = 1 << 20
	maxPrograms   = 1000
	maxConditions = 32
	maxErrors     = 20 // reported at once; the count of the rest follows
)

// Keys each mapping of the file may hold. Any other key is an error, so a
// misspelt rule never passes silently.
var (
	fileKeys      = []string{"programs"}
	programKeys   = []string{"id", "name", "purpose", "min_score", "conditions", "limit", "product"}
	conditionKeys = []string{"require", "if_missing", "label", "reason_code"}
	limitKeys     = []string{"currency", "cap", "step", "minimum", "bands", "income_feature", "without_income"}
	bandKeys      = []string{"amount", "income_multiple"}
)

// LoadProgramsFile reads a programs file; see LoadPrograms. Errors start
// with the path.
func LoadProgramsFile(path string) ([]Program, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, opencredit.Errorf(opencredit.EINVALID, "programs file %s: %v", path, err)
	}
	defer f.Close()
	ps, err := LoadPrograms(f)
	if err != nil {
		var e *opencredit.Error
		if errors.As(err, &e) {
			return nil, &opencredit.Error{Code: e.Code, Message: path + ": " + e.Message, Err: e.Err}
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return ps, nil
}

// LoadPrograms reads programs from YAML (the format is in the package
// documentation) and validates every one. Unknown keys are errors. On any
// error no program is returned; the error lists every problem found, up to
// 20, each naming the line, the program and the field. A program whose
// purpose is refused makes the error's code EREFUSED, with
// policy.CheckPurpose's explanation; otherwise the code is EINVALID.
func LoadPrograms(r io.Reader) ([]Program, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxFileBytes+1))
	if err != nil {
		return nil, opencredit.Errorf(opencredit.EINVALID, "programs: %v", err)
	}
	if len(data) > maxFileBytes {
		return nil, opencredit.Errorf(opencredit.EINVALID, "programs: the file is larger than %d bytes", maxFileBytes)
	}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, opencredit.Errorf(opencredit.EINVALID, "programs: the file is empty; list the programs under programs:")
		}
		return nil, opencredit.Errorf(opencredit.EINVALID, "programs: %s", strings.TrimPrefix(err.Error(), "yaml: "))
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, opencredit.Errorf(opencredit.EINVALID, "programs: the file holds more than one YAML document")
	}
	if len(doc.Content) == 0 {
		return nil, opencredit.Errorf(opencredit.EINVALID, "programs: the file is empty; list the programs under programs:")
	}
	l := &loader{}
	ps := l.file(doc.Content[0])
	if err := l.err(); err != nil {
		return nil, err
	}
	return ps, nil
}

// loader walks the YAML nodes itself rather than decoding into structs, so
// that each error can name the program and the field, not only a line.
type loader struct {
	errs []*opencredit.Error
}

func (l *loader) add(program string, probs []problem) {
	for _, p := range probs {
		l.errs = append(l.errs, p.as(program))
	}
}

func (l *loader) err() error {
	switch len(l.errs) {
	case 0:
		return nil
	case 1:
		return l.errs[0]
	}
	code := opencredit.EINVALID
	var lines []string
	for i, e := range l.errs {
		if e.Code == opencredit.EREFUSED {
			code = opencredit.EREFUSED
		}
		if i < maxErrors {
			lines = append(lines, e.Error())
		}
	}
	if n := len(l.errs) - maxErrors; n > 0 {
		lines = append(lines, fmt.Sprintf("and %d more", n))
	}
	return &opencredit.Error{Code: code, Message: fmt.Sprintf("programs: %d problems:\n", len(l.errs)) + strings.Join(lines, "\n")}
}

func (l *loader) file(root *yaml.Node) []Program {
	w := newWalk()
	top := w.fields(root, "", fileKeys)
	list := top["programs"]
	switch {
	case top == nil:
	case list == nil:
		w.bad(root.Line, "programs", "missing: list the programs under programs:")
	case list.Kind != yaml.SequenceNode:
		w.bad(list.Line, "programs", "want a list of programs")
	case len(list.Content) == 0:
		w.bad(list.Line, "programs", "the list is empty")
	case len(list.Content) > maxPrograms:
		w.bad(list.Line, "programs", fmt.Sprintf("%d programs; at most %d", len(list.Content), maxPrograms))
	}
	l.add("programs file", w.probs)
	if len(w.probs) > 0 {
		return nil
	}
	var out []Program
	seen := map[string]int{} // id → line
	for i, n := range list.Content {
		p, probs := program(n)
		name := fmt.Sprintf("programs[%d]", i)
		if p.ID != "" {
			name = fmt.Sprintf("program %q", p.ID)
			if line, dup := seen[p.ID]; dup {
				probs = append(probs, problem{line: n.Line, field: "id", msg: fmt.Sprintf("%q is already the id of the program at line %d", p.ID, line)})
			} else {
				seen[p.ID] = n.Line
			}
		}
		l.add(name, probs)
		out = append(out, p)
	}
	return out
}

// program reads one program and validates it, returning the problems of
// both steps, each with the line of the field it is about.
func program(n *yaml.Node) (Program, []problem) {
	w := newWalk()
	f := w.fields(n, "", programKeys)
	if f == nil {
		return Program{}, w.probs
	}
	p := Program{
		ID:       w.str(f["id"], "id"),
		Name:     w.str(f["name"], "name"),
		Purpose:  w.str(f["purpose"], "purpose"),
		MinScore: w.integer(f["min_score"], "min_score"),
	}
	if pr := f["product"]; pr != nil {
		p.Product = w.str(pr, "product")
	}
	if c := f["conditions"]; c != nil {
		switch {
		case c.Kind != yaml.SequenceNode:
			w.bad(c.Line, "conditions", "want a list of conditions")
		case len(c.Content) > maxConditions:
			w.bad(c.Line, "conditions", fmt.Sprintf("%d conditions; at most %d", len(c.Content), maxConditions))
		default:
			for i, cn := range c.Content {
				p.Conditions = append(p.Conditions, w.condition(cn, fmt.Sprintf("conditions[%d]", i)))
			}
		}
	}
	if ln := f["limit"]; ln != nil {
		p.Limit = w.limit(ln)
	}
	if len(w.probs) > 0 {
		// Validating half-read values would repeat the same problems.
		return p, w.probs
	}
	for _, pr := range p.problems() {
		pr.field = fileField(pr.field)
		pr.line = w.lineOf(pr.field, n.Line)
		w.probs = append(w.probs, pr)
	}
	return p, w.probs
}

// fileField renames the fields of a Condition built from a rule to the key
// the file has: conditions[0].feature → conditions[0].require.
func fileField(field string) string {
	for _, part := range []string{".feature", ".op", ".value"} {
		if strings.HasPrefix(field, "conditions[") && strings.HasSuffix(field, part) {
			return strings.TrimSuffix(field, part) + ".require"
		}
	}
	return field
}

// walk collects the problems of reading one part of the file and the line of
// every field read, for the problems validation finds later.
type walk struct {
	probs []problem
	lines map[string]int
}

func newWalk() *walk { return &walk{lines: map[string]int{}} }

func (w *walk) bad(line int, field, msg string) {
	w.probs = append(w.probs, problem{line: line, field: field, msg: msg})
}

// lineOf returns the line of field or of the nearest enclosing field read,
// else def.
func (w *walk) lineOf(field string, def int) int {
	for f := field; f != ""; {
		if line, ok := w.lines[f]; ok {
			return line
		}
		i := strings.LastIndexAny(f, ".[")
		if i < 0 {
			break
		}
		f = f[:i]
	}
	return def
}

func (w *walk) condition(n *yaml.Node, field string) Condition {
	w.lines[field] = n.Line
	f := w.fields(n, field, conditionKeys)
	if f == nil {
		return Condition{}
	}
	var c Condition
	if rn := f["require"]; rn == nil {
		w.bad(n.Line, field+".require", `missing: give the rule as "feature op value", such as "worst_days_past_due_24m < 60"`)
	} else if s := w.str(rn, field+".require"); s != "" {
		var err error
		if c.Feature, c.Op, c.Value, err = ParseRule(s); err != nil {
			w.bad(rn.Line, field+".require", err.Error())
		}
	}
	c.IfMissing = Missing(w.str(f["if_missing"], field+".if_missing"))
	c.Label = w.str(f["label"], field+".label")
	c.ReasonCode = w.str(f["reason_code"], field+".reason_code")
	return c
}

// ParseRule splits a condition's rule, "feature op value" such as
// "worst_days_past_due_24m < 60", into its parts. It checks the form only;
// Program.Validate checks the feature and the value.
func ParseRule(s string) (feature string, op Op, value float64, err error) {
	parts := strings.Fields(s)
	if len(parts) != 3 {
		return "", "", 0, fmt.Errorf(`%q: want "feature op value", such as "worst_days_past_due_24m < 60", with spaces around the operator`, s)
	}
	op = Op(parts[1])
	if !op.valid() {
		return "", "", 0, fmt.Errorf("%q: the operator %q is not one of < <= > >= == !=", s, parts[1])
	}
	value, perr := strconv.ParseFloat(parts[2], 64)
	if perr != nil {
		return "", "", 0, fmt.Errorf("%q: the value %q is not a number", s, parts[2])
	}
	return parts[0], op, value, nil
}

func (w *walk) limit(n *yaml.Node) *Limit {
	f := w.fields(n, "limit", limitKeys)
	if f == nil {
		return nil
	}
	l := &Limit{
		Currency:      w.str(f["currency"], "limit.currency"),
		Cap:           w.num(f["cap"], "limit.cap"),
		Step:          w.num(f["step"], "limit.step"),
		Minimum:       w.num(f["minimum"], "limit.minimum"),
		IncomeFeature: w.str(f["income_feature"], "limit.income_feature"),
		WithoutIncome: w.str(f["without_income"], "limit.without_income"),
	}
	if f["cap"] == nil {
		w.bad(n.Line, "limit.cap", "missing: every credit limit has a cap")
	}
	bn := f["bands"]
	if bn == nil {
		return l
	}
	if bn.Kind != yaml.MappingNode {
		w.bad(bn.Line, "limit.bands", "want a mapping from band name to {amount, income_multiple}")
		return l
	}
	l.Bands = map[string]BandLimit{}
	for i := 0; i+1 < len(bn.Content); i += 2 {
		k, v := bn.Content[i], bn.Content[i+1]
		field := fmt.Sprintf("limit.bands[%q]", k.Value)
		if _, dup := l.Bands[k.Value]; dup {
			w.bad(k.Line, field, "the band is listed twice")
			continue
		}
		w.lines[field] = k.Line
		row := w.fields(v, field, bandKeys)
		if row == nil {
			continue
		}
		l.Bands[k.Value] = BandLimit{
			Amount:         w.num(row["amount"], field+".amount"),
			IncomeMultiple: w.num(row["income_multiple"], field+".income_multiple"),
		}
	}
	return l
}

// fields checks that n is a mapping whose keys are all in known, each once,
// records the line of each, and returns the value node of each key. It
// returns nil if n is not a mapping.
func (w *walk) fields(n *yaml.Node, field string, known []string) map[string]*yaml.Node {
	if n.Kind == yaml.AliasNode {
		w.bad(n.Line, field, "YAML aliases (*name) are not supported in a programs file; write the value out")
		return nil
	}
	if n.Kind != yaml.MappingNode {
		w.bad(n.Line, field, "want a mapping with the keys "+strings.Join(known, ", "))
		return nil
	}
	out := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		name := join(field, k.Value)
		switch {
		case !slices.Contains(known, k.Value):
			w.bad(k.Line, name, "unknown key; the keys here are "+strings.Join(known, ", "))
		case out[k.Value] != nil:
			w.bad(k.Line, name, fmt.Sprintf("given twice (first at line %d)", w.lines[name]))
		default:
			out[k.Value] = v
			w.lines[name] = k.Line
		}
	}
	return out
}

func join(field, key string) string {
	if field == "" {
		return key
	}
	return field + "." + key
}

// str reads a scalar as text; an absent key or an empty value is "".
func (w *walk) str(n *yaml.Node, field string) string {
	if n == nil || n.Tag == "!!null" {
		return ""
	}
	if n.Kind != yaml.ScalarNode {
		w.bad(n.Line, field, "want a single value")
		return ""
	}
	return n.Value
}

// num reads a number; an absent key is 0.
func (w *walk) num(n *yaml.Node, field string) float64 {
	if n == nil || n.Tag == "!!null" {
		return 0
	}
	var x float64
	if n.Kind != yaml.ScalarNode || (n.Tag != "!!int" && n.Tag != "!!float") || n.Decode(&x) != nil {
		w.bad(n.Line, field, fmt.Sprintf("want a number, got %q", n.Value))
		return 0
	}
	return x
}

// integer reads a whole number; an absent key is 0.
func (w *walk) integer(n *yaml.Node, field string) int {
	if n == nil || n.Tag == "!!null" {
		return 0
	}
	var x int
	if n.Kind != yaml.ScalarNode || n.Tag != "!!int" || n.Decode(&x) != nil {
		w.bad(n.Line, field, fmt.Sprintf("want a whole number, got %q", n.Value))
		return 0
	}
	return x
}
