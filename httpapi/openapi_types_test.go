package httpapi_test

import (
	"encoding/json"
	"fmt"
	"github.com/opencredit/opencredit"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/opencredit/opencredit/api"
)

// wireTypes pairs every body of package api with the schema of
// openapi.yaml that documents it.
var wireTypes = []struct {
	schema string
	v      any
}{
	{"Error", api.Error{}},
	{"Status", api.Status{}},
	{"ScoreResponse", api.ScoreResponse{}},
	{"DecisionRequest", api.DecisionRequest{}},
	{"DecisionResponse", api.DecisionResponse{}},
	{"EventsRequest", api.EventsRequest{}},
	{"EventsResponse", api.EventsResponse{}},
	{"SubjectData", api.SubjectData{}},
	{"ModelResponse", api.ModelResponse{}},
	{"ProgramsResponse", api.ProgramsResponse{}},
	{"CheckpointResponse", api.CheckpointResponse{}},
	{"AuditRecordsResponse", api.AuditRecordsResponse{}},
	{"ModelsResponse", api.ModelsResponse{}},
	{"ModelVersionResponse", api.ModelVersionResponse{}},
	{"ModelVersion", opencredit.ModelVersion{}},
	{"FairnessCheck", opencredit.FairnessCheck{}},
	{"ModelTransition", opencredit.ModelTransition{}},
	{"ModelAddRequest", api.ModelAddRequest{}},
	{"ModelApproveRequest", api.ModelApproveRequest{}},
	{"ModelActionRequest", api.ModelActionRequest{}},
	{"ModelStateResponse", api.ModelStateResponse{}},
	{"RegisterRequest", api.RegisterRequest{}},
	{"RegisterResponse", api.RegisterResponse{}},
	{"ErasureResponse", api.ErasureResponse{}},
	{"AccessesResponse", api.AccessesResponse{}},
	{"ConsentsResponse", api.ConsentsResponse{}},
	{"ConsentRequest", api.ConsentRequest{}},
	{"Consent", opencredit.Consent{}},
	{"FreezeResponse", api.FreezeResponse{}},
	{"SubjectExport", api.SubjectExport{}},
	{"AuditProofResponse", api.AuditProofResponse{}},
	{"WitnessStatus", api.WitnessStatus{}},
	{"DisputeRequest", api.DisputeRequest{}},
	{"DisputeResponse", api.DisputeResponse{}},
	{"DisputesResponse", api.DisputesResponse{}},
	{"ResolveDisputeRequest", api.ResolveDisputeRequest{}},
	{"ReviewRequest", api.ReviewRequest{}},
	{"ReviewResponse", api.ReviewResponse{}},
	{"ReviewsResponse", api.ReviewsResponse{}},
	{"ResolveReviewRequest", api.ResolveReviewRequest{}},
}

// TestOpenAPIMatchesWireTypes: the document and the Go types the server
// and the client share agree field by field, all the way down: every JSON
// field of a type is a property of its schema and the other way round, a
// field is required exactly when it is not omitempty, and each property's
// type is the field's. A field added to a type and not to the document (or
// the other way round) fails here, whether or not a test answer holds it.
func TestOpenAPIMatchesWireTypes(t *testing.T) {
	doc, err := openAPIDoc()
	if err != nil {
		t.Fatal(err)
	}
	covered := map[string]bool{}
	for _, w := range wireTypes {
		covered[w.schema] = true
		ref := map[string]any{"$ref": "#/components/schemas/" + w.schema}
		for _, e := range compareSchema(doc, ref, reflect.TypeOf(w.v), w.schema) {
			t.Error(e)
		}
	}
	// Every body an operation names is one of the wire types.
	for _, ref := range operationBodies(doc) {
		name := strings.TrimPrefix(ref, "#/components/schemas/")
		if !covered[name] {
			t.Errorf("operation body %s has no Go type in package api (add it to wireTypes)", ref)
		}
	}
	// The error codes the document lists are the codes api knows.
	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
	code := schemas["Error"].(map[string]any)["properties"].(map[string]any)["error"].(map[string]any)["properties"].(map[string]any)["code"].(map[string]any)
	var documented []string
	for _, c := range code["enum"].([]any) {
		documented = append(documented, fmt.Sprint(c))
	}
	if got, want := sorted(documented), sorted(api.Codes()); !slices.Equal(got, want) {
		t.Errorf("Error.code enum %v, api.Codes %v", got, want)
	}
}

// TestCompareSchemaFails shows the comparison can fail: a type with a field
// the schema lacks, a schema property the type lacks, a wrong type and a
// wrong required list are each reported.
func TestCompareSchemaFails(t *testing.T) {
	doc := map[string]any{}
	type inner struct {
		N int `json:"n"`
	}
	type body struct {
		A string    `json:"a"`
		B []inner   `json:"b,omitempty"`
		C time.Time `json:"c"`
		D int       `json:"d"`
	}
	schema := map[string]any{
		"type": "object", "required": []any{"a", "b"},
		"properties": map[string]any{
			"a": map[string]any{"type": "integer"},
			"b": map[string]any{"type": "array", "items": map[string]any{"type": "object", "properties": map[string]any{"m": map[string]any{"type": "integer"}}}},
			"c": map[string]any{"type": "string"},
			"e": map[string]any{"type": "string"},
		},
	}
	errs := strings.Join(compareSchema(doc, schema, reflect.TypeOf(body{}), "body"), "\n")
	for _, want := range []string{
		"body.a: schema type [integer], Go type string",
		"body: Go field d is not in the schema",
		"body: schema property e is not a field of",
		"body: b is omitempty in Go but required in the schema",
		"body: c is always sent but not required in the schema",
		"body.b[]: Go field n is not in the schema",
		"body.b[]: schema property m is not a field of",
	} {
		if !strings.Contains(errs, want) {
			t.Errorf("no %q in:\n%s", want, errs)
		}
	}
}

var rawMessage = reflect.TypeOf(json.RawMessage(nil))

// compareSchema returns every way the schema (resolved in doc) and the Go
// type t disagree, each naming where, starting from at.
func compareSchema(doc map[string]any, schema any, t reflect.Type, at string) []string {
	s, err := resolve(doc, schema)
	if err != nil {
		return []string{at + ": " + err.Error()}
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	types := schemaTypes(s)
	want := func(jsonType string) []string {
		if len(types) == 0 || slices.Contains(types, jsonType) {
			return nil
		}
		return []string{fmt.Sprintf("%s: schema type %v, Go type %s", at, types, t)}
	}
	switch {
	case t == rawMessage || t.Kind() == reflect.Interface:
		return nil // any JSON value
	case t == reflect.TypeOf(time.Time{}):
		return want("string")
	case t == reflect.TypeOf([]byte(nil)):
		return want("string") // encoding/json writes bytes as base64
	}
	switch t.Kind() {
	case reflect.String:
		return want("string")
	case reflect.Bool:
		return want("boolean")
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return want("integer")
	case reflect.Float32, reflect.Float64:
		return want("number")
	case reflect.Slice, reflect.Array:
		if errs := want("array"); errs != nil {
			return errs
		}
		items, ok := s["items"]
		if !ok {
			return []string{at + ": an array without items"}
		}
		return compareSchema(doc, items, t.Elem(), at+"[]")
	case reflect.Map:
		if errs := want("object"); errs != nil {
			return errs
		}
		if ap, ok := s["additionalProperties"].(map[string]any); ok {
			return compareSchema(doc, ap, t.Elem(), at+"{}")
		}
		return []string{at + ": a map without an additionalProperties schema"}
	case reflect.Struct:
		if errs := want("object"); errs != nil {
			return errs
		}
		return compareObject(doc, s, t, at)
	}
	return []string{fmt.Sprintf("%s: Go type %s has no JSON schema counterpart here", at, t)}
}

// compareObject compares a struct's JSON fields with an object schema's
// properties and required list.
func compareObject(doc, s map[string]any, t reflect.Type, at string) []string {
	props, _ := s["properties"].(map[string]any)
	if props == nil {
		return []string{fmt.Sprintf("%s: the schema lists no properties of Go type %s", at, t)}
	}
	required := map[string]bool{}
	if rs, ok := s["required"].([]any); ok {
		for _, r := range rs {
			required[fmt.Sprint(r)] = true
		}
	}
	var errs []string
	fields := jsonFields(t)
	for _, f := range fields {
		p, ok := props[f.name]
		if !ok {
			errs = append(errs, fmt.Sprintf("%s: Go field %s is not in the schema", at, f.name))
			continue
		}
		switch {
		case f.omitempty && required[f.name]:
			errs = append(errs, fmt.Sprintf("%s: %s is omitempty in Go but required in the schema", at, f.name))
		case !f.omitempty && !required[f.name]:
			errs = append(errs, fmt.Sprintf("%s: %s is always sent but not required in the schema", at, f.name))
		}
		errs = append(errs, compareSchema(doc, p, f.typ, at+"."+f.name)...)
	}
	for _, name := range sortedKeys(props) {
		if !slices.ContainsFunc(fields, func(f jsonField) bool { return f.name == name }) {
			errs = append(errs, fmt.Sprintf("%s: schema property %s is not a field of %s", at, name, t))
		}
	}
	return errs
}

// jsonField is one field as encoding/json writes it.
type jsonField struct {
	name      string
	typ       reflect.Type
	omitempty bool
}

// jsonFields lists the fields encoding/json writes for struct type t:
// exported, not tagged "-", embedded structs without a tag flattened.
func jsonFields(t reflect.Type) []jsonField {
	var out []jsonField
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" || !f.IsExported() && !f.Anonymous {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			out = append(out, jsonFields(f.Type)...)
			continue
		}
		if name == "" {
			name = f.Name
		}
		out = append(out, jsonField{name: name, typ: f.Type, omitempty: slices.Contains(strings.Split(opts, ","), "omitempty")})
	}
	return out
}

// schemaTypes is a schema's type keyword as a list.
func schemaTypes(s map[string]any) []string {
	switch v := s["type"].(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, x := range v {
			out = append(out, fmt.Sprint(x))
		}
		return out
	}
	return nil
}

// operationBodies lists the $ref of every request and response body of
// every operation, JSON ones only.
func operationBodies(doc map[string]any) []string {
	var out []string
	add := func(content any) {
		c, _ := content.(map[string]any)
		j, _ := c["application/json"].(map[string]any)
		sc, _ := j["schema"].(map[string]any)
		if ref, ok := sc["$ref"].(string); ok {
			out = append(out, ref)
		}
	}
	responses, _ := doc["components"].(map[string]any)["responses"].(map[string]any)
	paths, _ := doc["paths"].(map[string]any)
	for _, p := range sortedKeys(paths) {
		ops, _ := paths[p].(map[string]any)
		for _, m := range sortedKeys(ops) {
			op, _ := ops[m].(map[string]any)
			if rb, ok := op["requestBody"].(map[string]any); ok {
				add(rb["content"])
			}
			rs, _ := op["responses"].(map[string]any)
			for _, code := range sortedKeys(rs) {
				r, _ := rs[code].(map[string]any)
				if ref, ok := r["$ref"].(string); ok {
					r, _ = responses[strings.TrimPrefix(ref, "#/components/responses/")].(map[string]any)
				}
				add(r["content"])
			}
		}
	}
	return out
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}
