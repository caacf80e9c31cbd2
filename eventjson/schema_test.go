package eventjson

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/opencredit/opencredit"
)

var update = flag.Bool("update", false, "rewrite the schema files from the rules")

// payloadTypes maps each event type to its payload struct.
var payloadTypes = map[string]reflect.Type{
	opencredit.TypeAccountOpened:     reflect.TypeFor[opencredit.AccountOpened](),
	opencredit.TypeAccountStatement:  reflect.TypeFor[opencredit.AccountStatement](),
	opencredit.TypeAccountClosed:     reflect.TypeFor[opencredit.AccountClosed](),
	opencredit.TypeAccountChargedOff: reflect.TypeFor[opencredit.AccountChargedOff](),
	opencredit.TypePaymentMade:       reflect.TypeFor[opencredit.PaymentMade](),
	opencredit.TypePaymentMissed:     reflect.TypeFor[opencredit.PaymentMissed](),
	opencredit.TypeBillPaid:          reflect.TypeFor[opencredit.BillPaid](),
	opencredit.TypeBillMissed:        reflect.TypeFor[opencredit.BillMissed](),
	opencredit.TypeRentalReturned:    reflect.TypeFor[opencredit.RentalReturned](),
	opencredit.TypeRentalOverdue:     reflect.TypeFor[opencredit.RentalOverdue](),
	opencredit.TypeInquiry:           reflect.TypeFor[opencredit.Inquiry](),
	opencredit.TypeIncomeVerified:    reflect.TypeFor[opencredit.IncomeVerified](),
	opencredit.TypeIdentityVerified:  reflect.TypeFor[opencredit.IdentityVerified](),
	opencredit.TypeCollectionOpened:  reflect.TypeFor[opencredit.CollectionOpened](),
	opencredit.TypeJudgmentFiled:     reflect.TypeFor[opencredit.JudgmentFiled](),
}

// jsonFields lists a struct's JSON field names, in order, and those that
// are not omitempty (the required ones).
func jsonFields(t reflect.Type) (names, required []string) {
	for f := range t.Fields() {
		tag := f.Tag.Get("json")
		name, opts, _ := strings.Cut(tag, ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		names = append(names, name)
		if !slices.Contains(strings.Split(opts, ","), "omitempty") {
			required = append(required, name)
		}
	}
	return names, required
}

// TestSpecsMatchStructs holds the rule table to the payload structs: the
// same fields in the same order (the build functions rely on it), optional
// exactly when omitempty, for every event type.
func TestSpecsMatchStructs(t *testing.T) {
	if len(specs) != len(opencredit.EventTypes) {
		t.Fatalf("%d specs for %d event types", len(specs), len(opencredit.EventTypes))
	}
	for i, typ := range opencredit.EventTypes {
		sp := specs[i]
		if sp.typ != typ {
			t.Fatalf("specs[%d] is %s, EventTypes[%d] is %s", i, sp.typ, i, typ)
		}
		names, required := jsonFields(payloadTypes[typ])
		var got, gotReq []string
		for _, f := range sp.fields {
			got = append(got, f.name)
			if !f.optional {
				gotReq = append(gotReq, f.name)
			}
		}
		if !slices.Equal(got, names) || !slices.Equal(gotReq, required) {
			t.Errorf("%s: rules have fields %v (required %v), the struct %v (required %v)", typ, got, gotReq, names, required)
		}
	}
}

// TestSchemasMatchStructs checks each published schema against the Go
// structs by reflection, independently of how the schema was written.
func TestSchemasMatchStructs(t *testing.T) {
	check := func(name string, b []byte, typ reflect.Type) {
		var s struct {
			Schema     string                     `json:"$schema"`
			Type       string                     `json:"type"`
			Required   []string                   `json:"required"`
			Properties map[string]json.RawMessage `json:"properties"`
		}
		if err := json.Unmarshal(b, &s); err != nil {
			t.Errorf("%s: %v", name, err)
			return
		}
		if s.Schema != "https://json-schema.org/draft/2020-12/schema" || s.Type != "object" {
			t.Errorf("%s: $schema %q, type %q", name, s.Schema, s.Type)
		}
		names, required := jsonFields(typ)
		var props []string
		for p := range s.Properties {
			props = append(props, p)
		}
		slices.Sort(props)
		slices.Sort(names)
		if !slices.Equal(props, names) {
			t.Errorf("%s: properties %v, the struct %s has %v", name, props, typ, names)
		}
		if !slices.Equal(s.Required, required) {
			t.Errorf("%s: required %v, the struct %s requires %v", name, s.Required, typ, required)
		}
	}
	for _, typ := range opencredit.EventTypes {
		b, ok := Schema(typ)
		if !ok {
			t.Errorf("no schema for %s", typ)
			continue
		}
		check(typ, b, payloadTypes[typ])
	}
	check(EnvelopeSchemaFile, EnvelopeSchema(), reflect.TypeFor[opencredit.Event]())
	if _, ok := Schema("org.opencredit.nothing"); ok {
		t.Error("a schema for an unknown type")
	}
	files := Schemas()
	if len(files) != len(opencredit.EventTypes) || files[opencredit.TypePaymentMissed] != "payment.missed.json" {
		t.Errorf("Schemas() = %v", files)
	}
}

// TestSchemaFiles checks that the schema files are those the rules make;
// with -update it writes them.
func TestSchemaFiles(t *testing.T) {
	want := map[string][]byte{EnvelopeSchemaFile: envelopeSchema()}
	for _, sp := range specs {
		want[sp.file] = dataSchema(sp)
	}
	if *update {
		old, _ := filepath.Glob("schema/*.json")
		for _, f := range old {
			os.Remove(f)
		}
		for name, b := range want {
			if err := os.WriteFile(filepath.Join("schema", name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	entries, err := os.ReadDir("schema")
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != len(want) {
		t.Errorf("schema/ holds %d files, want %d", len(entries), len(want))
	}
	for name, b := range want {
		got, err := os.ReadFile(filepath.Join("schema", name))
		if err != nil || !bytes.Equal(got, b) {
			t.Errorf("schema/%s is not what the rules make (%v); run go test ./event/ -run TestSchemaFiles -update and review the diff", name, err)
		}
	}
}

// TestSchemaExamples checks that every schema's example passes Decode.
func TestSchemaExamples(t *testing.T) {
	for _, sp := range specs {
		b := mkEvent(sp.typ, examples[sp.typ])
		if _, p, prob := Decode(b, testNow); prob != nil || p == nil {
			t.Errorf("%s: the example fails: %v", sp.typ, prob)
		}
	}
}

// examples holds a valid data object of each type, shown in the schemas
// and the documentation.
var examples = map[string]string{
	opencredit.TypeAccountOpened:     `{"account_id":"acc-1001","product":"card","credit_limit":2500,"currency":"EUR"}`,
	opencredit.TypeAccountStatement:  `{"account_id":"acc-1001","balance":812.4,"credit_limit":2500,"minimum_due":25,"days_past_due":0,"currency":"EUR"}`,
	opencredit.TypeAccountClosed:     `{"account_id":"acc-1001","reason":"paid_off"}`,
	opencredit.TypeAccountChargedOff: `{"account_id":"acc-1001","amount":2380.55,"currency":"EUR"}`,
	opencredit.TypePaymentMade:       `{"account_id":"acc-1001","due_date":"2026-03-25","amount":812.4,"amount_due":25,"days_late":0,"currency":"EUR"}`,
	opencredit.TypePaymentMissed:     `{"account_id":"acc-1001","due_date":"2026-02-25","amount_due":50,"days_past_due":30,"currency":"EUR"}`,
	opencredit.TypeBillPaid:          `{"bill_type":"utility","account_id":"elec-77","due_date":"2026-03-15","amount":64.2,"days_late":0,"currency":"EUR"}`,
	opencredit.TypeBillMissed:        `{"bill_type":"telecom","account_id":"tel-5","due_date":"2026-02-10","amount":39.9,"days_past_due":30,"currency":"EUR"}`,
	opencredit.TypeRentalReturned:    `{"rental_id":"r-88","item":"bike","due_at":"2026-03-20T18:00:00Z","days_late":0}`,
	opencredit.TypeRentalOverdue:     `{"rental_id":"r-89","item":"car","due_at":"2026-03-10T10:00:00Z","days_overdue":7}`,
	opencredit.TypeInquiry:           `{"kind":"hard","purpose":"credit_application"}`,
	opencredit.TypeIncomeVerified:    `{"monthly_income":2850,"currency":"EUR","method":"payslip"}`,
	opencredit.TypeIdentityVerified:  `{"level":3,"method":"passport+selfie"}`,
	opencredit.TypeCollectionOpened:  `{"collection_id":"col-12","amount":310.75,"currency":"EUR","original_creditor":"furnisher-03"}`,
	opencredit.TypeJudgmentFiled:     `{"case_id":"2026-C-1042","kind":"judgment","amount":4200}`,
}

// typeDocs says what each event type means, for the schemas' descriptions.
var typeDocs = map[string]string{
	opencredit.TypeAccountOpened:     "A credit account was opened (at the event's time).",
	opencredit.TypeAccountStatement:  "A periodic statement of an account (the event's time is the statement date).",
	opencredit.TypeAccountClosed:     "An account was closed.",
	opencredit.TypeAccountChargedOff: "The lender wrote the account off as a loss (a default).",
	opencredit.TypePaymentMade:       "A scheduled payment was made (the event's time is when).",
	opencredit.TypePaymentMissed:     "A scheduled payment is overdue by days_past_due days (30, 60, 90, ...).",
	opencredit.TypeBillPaid:          "A utility, telecom or rent bill was paid.",
	opencredit.TypeBillMissed:        "A bill is overdue by days_past_due days.",
	opencredit.TypeRentalReturned:    "A rented item was returned (the event's time is the return time).",
	opencredit.TypeRentalOverdue:     "A rented item is overdue by days_overdue days.",
	opencredit.TypeInquiry:           "A lender asked for the person's score or file.",
	opencredit.TypeIncomeVerified:    "The person's income was verified.",
	opencredit.TypeIdentityVerified:  "The person's identity was verified at a level: 1 basic data match, 2 document, 3 document and liveness.",
	opencredit.TypeCollectionOpened:  "A debt was passed to collection (a default).",
	opencredit.TypeJudgmentFiled:     "A court judgment or a bankruptcy.",
}

// obj is a JSON object that keeps its keys in order.
type obj []kv

type kv struct {
	k string
	v any
}

func (o obj) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(m.k)
		v, err := json.Marshal(m.v)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

const draft = "https://json-schema.org/draft/2020-12/schema"

// Patterns of the schemas. The schemas cannot say "printable" as Go's
// unicode.IsPrint does; they refuse control characters, and Decode also
// refuses format characters and non-ASCII spaces in identifiers.
const (
	noControl   = `^[^\u0000-\u001F\u007F-\u009F]*$`
	datePattern = `^[0-9]{4}-[0-9]{2}-[0-9]{2}$`
	timePattern = `^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$`
)

func fieldSchema(f field) obj {
	switch f.kind {
	case kindID:
		return obj{{"type", "string"}, {"minLength", 1}, {"maxLength", MaxIDBytes}, {"pattern", noControl},
			{"description", ruleText(f)}}
	case kindText:
		return obj{{"type", "string"}, {"minLength", 1}, {"maxLength", MaxTextBytes}, {"pattern", noControl},
			{"description", ruleText(f)}}
	case kindEnum:
		return obj{{"type", "string"}, {"enum", f.enum}}
	case kindCurrency:
		return obj{{"type", "string"}, {"pattern", "^[A-Z]{3}$"}, {"description", ruleText(f)}}
	case kindDate:
		return obj{{"type", "string"}, {"format", "date"}, {"pattern", datePattern}, {"description", ruleText(f)}}
	case kindTime:
		return obj{{"type", "string"}, {"format", "date-time"}, {"pattern", timePattern}, {"description", ruleText(f)}}
	case kindAmount:
		return obj{{"type", "number"}, {"minimum", 0}, {"maximum", MaxAmount}}
	case kindPositive:
		return obj{{"type", "number"}, {"exclusiveMinimum", 0}, {"maximum", MaxAmount}}
	case kindInt:
		return obj{{"type", "integer"}, {"minimum", f.min}, {"maximum", f.max}, {"description", ruleText(f)}}
	}
	panic("unknown kind")
}

// ruleText states a field's rule in words, for the schemas and docs/events.md.
func ruleText(f field) string {
	switch f.kind {
	case kindID:
		return "an identifier: 1–128 bytes of printable UTF-8"
	case kindText:
		return "text: 1–256 bytes of UTF-8 without control or format characters"
	case kindEnum:
		return "one of " + strings.Join(f.enum, ", ")
	case kindCurrency:
		return "an ISO 4217 code: three upper-case letters"
	case kindDate:
		return "a calendar date, YYYY-MM-DD"
	case kindTime:
		return "an RFC 3339 timestamp with an offset under 24 hours, written without escapes"
	case kindAmount:
		return "a number, 0 ≤ x ≤ 1e12"
	case kindPositive:
		return "a number, 0 < x ≤ 1e12"
	case kindInt:
		return "an integer written with digits only, " + strings.Join([]string{itoa(f.min), itoa(f.max)}, "–")
	}
	panic("unknown kind")
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func dataSchema(sp *spec) []byte {
	var required []string
	var props obj
	for _, f := range sp.fields {
		if !f.optional {
			required = append(required, f.name)
		}
		props = append(props, kv{f.name, fieldSchema(f)})
	}
	s := obj{
		{"$schema", draft},
		{"title", "data of " + sp.typ},
		{"description", typeDocs[sp.typ]},
		{"type", "object"},
		{"required", required},
		{"properties", props},
		{"additionalProperties", false},
	}
	if sp.typ == opencredit.TypeAccountOpened {
		// The rule of spec.check: a revolving account has a limit, an
		// instalment account a principal.
		var revolving, instalment []string
		for _, p := range products {
			if opencredit.Revolving(p) {
				revolving = append(revolving, p)
			} else {
				instalment = append(instalment, p)
			}
		}
		cond := func(products []string, field string) obj {
			return obj{
				{"if", obj{{"properties", obj{{"product", obj{{"enum", products}}}}}, {"required", []string{"product"}}}},
				{"then", obj{{"required", []string{field}}}},
			}
		}
		s = append(s, kv{"allOf", []obj{cond(revolving, "credit_limit"), cond(instalment, "principal")}})
	}
	s = append(s, kv{"examples", []json.RawMessage{json.RawMessage(examples[sp.typ])}})
	return marshal(s)
}

func envelopeSchema() []byte {
	name := obj{{"type", "string"}, {"minLength", 1}, {"maxLength", MaxTextBytes}, {"pattern", noControl}}
	var types []string
	var cases []obj
	for _, sp := range specs {
		types = append(types, sp.typ)
		cases = append(cases, obj{
			{"if", obj{{"properties", obj{{"type", obj{{"const", sp.typ}}}}}, {"required", []string{"type"}}}},
			{"then", obj{{"properties", obj{{"data", obj{{"$ref", sp.file}}}}}}},
		})
	}
	s := obj{
		{"$schema", draft},
		{"title", "OpenCredit event"},
		{"description", "An event in the CloudEvents 1.0 JSON format. Extension attributes (lower-case letters and digits) are allowed and ignored."},
		{"type", "object"},
		{"required", []string{"specversion", "id", "source", "type", "subject", "time", "data"}},
		{"properties", obj{
			{"specversion", obj{{"const", opencredit.SpecVersion}}},
			{"id", append(slices.Clone(name), kv{"description", "unique per source; a repeated (source, id) is a duplicate"})},
			{"source", append(slices.Clone(name), kv{"description", "the furnisher's id"})},
			{"type", obj{{"type", "string"}, {"enum", types}}},
			{"subject", append(slices.Clone(name), kv{"description", "the person's pseudonymous id"})},
			{"time", obj{{"type", "string"}, {"format", "date-time"}, {"pattern", "^(19[7-9][0-9]|[2-9][0-9]{3})" + timePattern[len("^[0-9]{4}"):]},
				{"description", "when the fact happened: not before 1970, not more than 5 minutes after the moment of ingestion"}}},
			{"datacontenttype", obj{{"const", opencredit.DataContentType}}},
			{"data", obj{{"type", "object"}}},
		}},
		{"propertyNames", obj{{"pattern", "^[a-z0-9]+$"}}},
		{"additionalProperties", obj{{"type", []string{"string", "number", "boolean", "null"}}}},
		{"allOf", cases},
	}
	return marshal(s)
}

func marshal(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	var out bytes.Buffer
	if err := json.Indent(&out, b, "", "  "); err != nil {
		panic(err)
	}
	out.WriteByte('\n')
	return out.Bytes()
}

// TestDocMentionsEveryField keeps the payload table of docs/events.md in
// step with the rules: every type and each of its fields appear in it.
func TestDocMentionsEveryField(t *testing.T) {
	b, err := os.ReadFile("../docs/events.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	for _, sp := range specs {
		i := strings.Index(doc, "\n\t"+sp.typ+" ")
		if i < 0 {
			t.Errorf("docs/events.md has no table row for %s", sp.typ)
			continue
		}
		for _, f := range sp.fields {
			if !strings.Contains(doc[i:], " "+f.name+" ") {
				t.Errorf("docs/events.md does not list %s of %s", f.name, sp.typ)
			}
		}
	}
}
