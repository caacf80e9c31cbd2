package httpapi_test

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestOpenAPIServed: GET /openapi.yaml needs no key and serves exactly the
// embedded document, which is OpenAPI 3.1.0 YAML.
func TestOpenAPIServed(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	resp, err := http.Get(f.url + "/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /openapi.yaml: %d %s", resp.StatusCode, got)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/yaml" {
		t.Errorf("Content-Type %q, want application/yaml", ct)
	}
	want, err := os.ReadFile("openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("the served document differs from openapi.yaml")
	}
	var doc struct {
		OpenAPI string `yaml:"openapi"`
		Info    struct {
			Description string `yaml:"description"`
		} `yaml:"info"`
	}
	if err := yaml.Unmarshal(got, &doc); err != nil {
		t.Fatalf("the served document is not YAML: %v", err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi: %q, want 3.1.0", doc.OpenAPI)
	}
	for _, p := range []string{"credit_application", "account_review", "rental_deposit_waiver", "subject_self_access", "403"} {
		if !strings.Contains(doc.Info.Description, p) {
			t.Errorf("info.description does not mention %s", p)
		}
	}
}

// TestOpenAPIDocumentsEveryRoute: every route of routes.go has an operation.
func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	doc, err := openAPIDoc()
	if err != nil {
		t.Fatal(err)
	}
	for _, rt := range []struct{ method, path string }{
		{"GET", "/healthz"}, {"GET", "/readyz"}, {"GET", "/openapi.yaml"}, {"GET", "/metrics"},
		{"POST", "/v1/events"}, {"GET", "/v1/subjects/x/score"}, {"POST", "/v1/decisions"},
		{"GET", "/v1/subjects/x/data"},
		{"GET", "/v1/subjects/x/disputes"}, {"POST", "/v1/subjects/x/disputes"}, {"GET", "/v1/disputes"},
		{"POST", "/v1/disputes/x/resolve"}, {"GET", "/v1/subjects/x/reviews"}, {"POST", "/v1/subjects/x/reviews"},
		{"GET", "/v1/reviews"}, {"POST", "/v1/reviews/x/resolve"},
	} {
		if findOperation(doc, rt.method, rt.path) == nil {
			t.Errorf("no operation for %s %s", rt.method, rt.path)
		}
	}
}

// TestValidatorFails shows the validator can fail: each body below breaks
// the document in one way, and the validator must name the place.
func TestValidatorFails(t *testing.T) {
	doc, err := openAPIDoc()
	if err != nil {
		t.Fatal(err)
	}
	const score = "/v1/subjects/s1/score?purpose=credit_application"
	good := `{"subject":"s1","purpose":"credit_application","score":580,"band":"fair","probability_of_default":0.1,` +
		`"dimensions":[{"dimension":"new_credit","score":50,"earned":40,"max":80}],` +
		`"reasons":[{"code":"NC01","feature":"hard_inquiries_12m","text":"t","points_lost":40}],` +
		`"model":"scorecard","model_id":"scorecard-0123456789ab","features_as_of":"2026-01-01T00:00:00Z","open_disputes":0}`
	if errs := validateResponse(doc, "GET", score, 200, []byte(good)); len(errs) != 0 {
		t.Fatalf("a valid score is refused: %v", errs)
	}
	for _, tc := range []struct {
		name, method, path string
		status             int
		body, want         string
	}{
		{"wrong type", "GET", score, 200, strings.Replace(good, `"score":580`, `"score":"580"`, 1), "/score: string is not of type integer"},
		{"fraction for integer", "GET", score, 200, strings.Replace(good, `"earned":40`, `"earned":40.5`, 1), "/dimensions/0/earned"},
		{"missing required", "GET", score, 200, strings.Replace(good, `"band":"fair",`, "", 1), `required property "band" is missing`},
		{"nested missing required", "GET", score, 200, strings.Replace(good, `"code":"NC01",`, "", 1), `/reasons/0: required property "code"`},
		{"undocumented property", "GET", score, 200, strings.Replace(good, `"band":"fair",`, `"band":"fair","ssn":"x",`, 1), `property "ssn" is not in the schema`},
		{"enum", "POST", "/v1/events", 200, `{"results":[{"status":"maybe"}]}`, "/results/0/status"},
		{"undocumented status", "GET", score, 418, `{"error":{"code":"invalid","message":"m"}}`, "status 418 is not documented"},
		{"error code not in enum", "GET", score, 403, `{"error":{"code":"nope","message":"m"}}`, "/error/code"},
		{"catch-all not 404", "GET", "/nowhere", 200, `{}`, "no operation GET /nowhere"},
		{"null for object", "POST", "/v1/decisions", 200, `{"decision":null}`, "/decision: null is not of type object"},
	} {
		errs := validateResponse(doc, tc.method, tc.path, tc.status, []byte(tc.body))
		if !strings.Contains(strings.Join(errs, "\n"), tc.want) {
			t.Errorf("%s: got %q, want a mismatch containing %q", tc.name, errs, tc.want)
		}
	}
}
