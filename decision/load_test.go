package decision

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/features"
	"github.com/opencredit/opencredit/model"
)

func TestLoadExamplePrograms(t *testing.T) {
	ps, err := LoadProgramsFile("testdata/programs.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want := []Program{
		{ID: "bike-deposit-free", Name: "Deposit-free bike rental", Purpose: opencredit.PurposeRentalDepositWaiver, MinScore: 600},
		{ID: "flat-deposit-free", Name: "Deposit-free flat", Purpose: opencredit.PurposeRentalDepositWaiver, MinScore: 650,
			Conditions: []Condition{{Feature: features.WorstDaysPastDue24m, Op: Less, Value: 60}}},
		{ID: "credit-line", Name: "Flexible credit line", Purpose: opencredit.PurposeCreditApplication, MinScore: 600,
			Limit: &Limit{Currency: "EUR", Cap: 5000, Step: 50, Minimum: 100, Bands: map[string]BandLimit{
				"good":      {Amount: 1000, IncomeMultiple: 0.5},
				"very good": {Amount: 2500, IncomeMultiple: 1},
				"excellent": {IncomeMultiple: 2},
			}}},
	}
	if !reflect.DeepEqual(ps, want) {
		t.Fatalf("programs\n%+v\nwant\n%+v", ps, want)
	}
	for _, p := range ps {
		if err := p.CheckScale(350, 950, opencredit.DefaultBands()); err != nil {
			t.Errorf("%s: %v", p.ID, err)
		}
	}
}

// The doc.go example is the testdata file, comments aside.
func TestDocExampleLoads(t *testing.T) {
	doc := `programs:
  - id: flat-deposit-free
    name: Deposit-free flat
    purpose: rental_deposit_waiver
    min_score: 650
    conditions:
      - require: worst_days_past_due_24m < 60   # no delay of 60 days or more
        if_missing: fail                        # the default; or pass
        label: Worst delay in the last 24 months # the default for this feature
        reason_code: WORST_DAYS_PAST_DUE_24M    # the default: the feature in capitals
`
	ps, err := LoadPrograms(strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	c := ps[0].Conditions[0]
	if c.IfMissing != Fail || c.Label != labels[features.WorstDaysPastDue24m] || c.ReasonCode != "WORST_DAYS_PAST_DUE_24M" {
		t.Errorf("condition %+v", c)
	}
}

// A program naming a refused purpose fails to load with policy.CheckPurpose's
// refusal, naming the program and the field.
func TestLoadRefusedPurpose(t *testing.T) {
	for purpose, says := range map[string]string{
		"employment":       "may not be used for employment screening",
		"public_services":  "public services",
		"travel":           "travel",
		"education":        "educational decision",
		"telecom":          "telecom",
		"internet_speed":   "internet speed",
		"tenant_screening": "not a permissible purpose",
	} {
		file := "programs:\n  - {id: ok, name: OK, purpose: credit_application, min_score: 600}\n" +
			"  - id: bad\n    name: Bad\n    purpose: " + purpose + "\n    min_score: 600\n"
		ps, err := LoadPrograms(strings.NewReader(file))
		if ps != nil || opencredit.ErrorCode(err) != opencredit.EREFUSED {
			t.Errorf("%s: programs %v, error %v; want a refusal and no program", purpose, ps, err)
			continue
		}
		for _, want := range []string{`line 5: program "bad": purpose: refused purpose "` + purpose + `"`, says, "FCRA §604", "Art. 5(1)(c)"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("%s: error lacks %q:\n%v", purpose, want, err)
			}
		}
	}
	// Refused among other problems: the code is still EREFUSED.
	_, err := LoadPrograms(strings.NewReader("programs:\n  - {id: a, name: A, purpose: employment, min_score: 600}\n  - {id: b, name: B, purpose: account_review}\n"))
	if opencredit.ErrorCode(err) != opencredit.EREFUSED || !strings.Contains(err.Error(), `program "b": min_score`) {
		t.Errorf("mixed problems: %v", err)
	}
}

func TestLoadErrors(t *testing.T) {
	const head = "programs:\n  - id: p\n    name: P\n    purpose: credit_application\n    min_score: 600\n"
	for _, tc := range []struct {
		name, file string
		want       []string
	}{
		{"empty", "", []string{"the file is empty"}},
		{"not yaml", "programs: [", []string{"programs:"}},
		{"two documents", head + "---\n" + head, []string{"more than one YAML document"}},
		{"top not mapping", "- 1\n", []string{"line 1: programs file: want a mapping with the keys programs"}},
		{"top unknown key", "program:\n  - id: p\n", []string{`line 1: programs file: program: unknown key`}},
		{"no programs", "programs:\n", []string{"programs: want a list of programs"}},
		{"empty list", "programs: []\n", []string{"programs: the list is empty"}},
		{"unknown program key", head + "    colour: red\n", []string{`line 6: program "p": colour: unknown key; the keys here are id, name, purpose, min_score, conditions, limit`}},
		{"repeated key", head + "    min_score: 650\n", []string{`line 6: program "p": min_score: given twice (first at line 5)`}},
		{"missing id", "programs:\n  - {name: P, purpose: account_review, min_score: 600}\n", []string{`programs[0]: id: missing`}},
		{"bad id", "programs:\n  - {id: P 1, name: P, purpose: account_review, min_score: 600}\n", []string{`program "P 1": id: "P 1" must be`}},
		{"duplicate id", head + "  - {id: p, name: Q, purpose: account_review, min_score: 600}\n", []string{`line 6: program "p": id: "p" is already the id of the program at line 2`}},
		{"missing name", "programs:\n  - {id: p, purpose: account_review, min_score: 600}\n", []string{`program "p": name: missing`}},
		{"missing purpose", "programs:\n  - {id: p, name: P, min_score: 600}\n", []string{`program "p": purpose: missing`}},
		{"self access", "programs:\n  - {id: p, name: P, purpose: subject_self_access, min_score: 600}\n", []string{`program "p": purpose: subject_self_access is a person reading their own score`}},
		{"min_score text", "programs:\n  - {id: p, name: P, purpose: account_review, min_score: high}\n", []string{`program "p": min_score: want a whole number, got "high"`}},
		{"min_score fraction", "programs:\n  - {id: p, name: P, purpose: account_review, min_score: 600.5}\n", []string{`min_score: want a whole number, got "600.5"`}},
		{"min_score missing", "programs:\n  - {id: p, name: P, purpose: account_review}\n", []string{`program "p": min_score: must be a positive score`}},
		{"unknown product", "programs:\n  - {id: p, name: P, purpose: credit_application, min_score: 600, product: car}\n", []string{`program "p": product: "car" is not one of card, line, loan, bnpl, mortgage`}},
		{"conditions not list", head + "    conditions: {require: defaults_7y == 0}\n", []string{`line 6: program "p": conditions: want a list`}},
		{"unknown condition key", head + "    conditions:\n      - require: defaults_7y == 0\n        when: always\n", []string{`line 8: program "p": conditions[0].when: unknown key; the keys here are require, if_missing, label, reason_code`}},
		{"rule missing", head + "    conditions:\n      - label: x\n", []string{`program "p": conditions[0].require: missing`}},
		{"rule shape", head + "    conditions:\n      - require: defaults_7y==0\n", []string{`line 7: program "p": conditions[0].require: "defaults_7y==0": want "feature op value"`}},
		{"rule operator", head + "    conditions:\n      - require: defaults_7y =< 0\n", []string{`conditions[0].require: "defaults_7y =< 0": the operator "=<" is not one of`}},
		{"rule value", head + "    conditions:\n      - require: defaults_7y == none\n", []string{`conditions[0].require: "defaults_7y == none": the value "none" is not a number`}},
		{"rule value nan", head + "    conditions:\n      - require: defaults_7y == NaN\n", []string{`line 7: program "p": conditions[0].require: must be a finite number`}},
		{"unknown feature", head + "    conditions:\n      - require: worst_dpd_24m < 60\n", []string{`line 7: program "p": conditions[0].require: unknown feature "worst_dpd_24m"`, "worst_days_past_due_24m"}},
		{"if_missing", head + "    conditions:\n      - {require: defaults_7y == 0, if_missing: skip}\n", []string{`program "p": conditions[0].if_missing: "skip" is not fail or pass`}},
		{"too many conditions", head + "    conditions:\n" + strings.Repeat("      - require: defaults_7y == 0\n", maxConditions+1), []string{"33 conditions; at most 32"}},
		{"limit no cap", head + "    limit:\n      bands: {good: {amount: 100}}\n", []string{`program "p": limit.cap: missing`}},
		{"limit cap negative", head + "    limit:\n      cap: -1\n      bands: {good: {amount: 100}}\n", []string{`line 7: program "p": limit.cap: must be a finite number above 0`}},
		{"limit no bands", head + "    limit: {cap: 100}\n", []string{`program "p": limit.bands: missing`}},
		{"limit unknown key", head + "    limit: {cap: 100, ceiling: 5, bands: {good: {amount: 1}}}\n", []string{`program "p": limit.ceiling: unknown key`}},
		{"band unknown key", head + "    limit: {cap: 100, bands: {good: {amount: 1, multiple: 2}}}\n", []string{`program "p": limit.bands["good"].multiple: unknown key; the keys here are amount, income_multiple`}},
		{"band empty", head + "    limit:\n      cap: 100\n      bands:\n        good: {}\n", []string{`line 9: program "p": limit.bands["good"]: give amount, income_multiple or both`}},
		{"band twice", head + "    limit:\n      cap: 100\n      bands:\n        good: {amount: 1}\n        good: {amount: 2}\n", []string{`line 10: program "p": limit.bands["good"]: the band is listed twice`}},
		{"band amount text", head + "    limit: {cap: 100, bands: {good: {amount: lots}}}\n", []string{`limit.bands["good"].amount: want a number, got "lots"`}},
		{"band_amount needs amounts", head + "    limit: {cap: 100, without_income: band_amount, bands: {good: {income_multiple: 1}}}\n", []string{`limit.bands["good"].amount: missing: without_income: band_amount`}},
		{"without_income", head + "    limit: {cap: 100, without_income: guess, bands: {good: {amount: 1}}}\n", []string{`limit.without_income: "guess" is not decline or band_amount`}},
		{"minimum above cap", head + "    limit: {cap: 100, minimum: 200, bands: {good: {income_multiple: 1}}}\n", []string{`limit.minimum: 200 is above the cap 100`}},
		{"step above cap", head + "    limit: {cap: 100, step: 500, bands: {good: {income_multiple: 1}}}\n", []string{`limit.step: 500 is above the cap 100`}},
		{"alias", "programs:\n  - &p {id: p, name: P, purpose: account_review, min_score: 600}\n  - *p\n", []string{"line 3: programs[1]: YAML aliases"}},
		{"several", "programs:\n  - {id: a, name: A, purpose: account_review, min_score: 0}\n  - {id: b, purpose: account_review, min_score: 600}\n",
			[]string{"programs: 2 problems:", `line 2: program "a": min_score`, `line 3: program "b": name: missing`}},
	} {
		ps, err := LoadPrograms(strings.NewReader(tc.file))
		if err == nil {
			t.Errorf("%s: loaded %+v", tc.name, ps)
			continue
		}
		if ps != nil {
			t.Errorf("%s: programs returned with an error", tc.name)
		}
		var e *opencredit.Error
		if !errors.As(err, &e) || e.Code != opencredit.EINVALID {
			t.Errorf("%s: error %T %q, want an EINVALID *opencredit.Error", tc.name, err, opencredit.ErrorCode(err))
		}
		for _, want := range tc.want {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("%s: error lacks %q:\n%v", tc.name, want, err)
			}
		}
	}
}

func TestLoadErrorCount(t *testing.T) {
	file := "programs:\n"
	for i := range 30 {
		file += fmt.Sprintf("  - {id: p%d, name: A, purpose: account_review, min_score: 600, colour: red}\n", i)
	}
	_, err := LoadPrograms(strings.NewReader(file))
	if err == nil || !strings.Contains(err.Error(), "programs: 30 problems:") || !strings.Contains(err.Error(), "\nand 10 more") {
		t.Fatalf("want the first 20 problems and a count, got %v", err)
	}
}

func TestLoadProgramsFileErrors(t *testing.T) {
	_, err := LoadProgramsFile("testdata/no-such-file.yaml")
	if opencredit.ErrorCode(err) != opencredit.EINVALID || !strings.Contains(err.Error(), "testdata/no-such-file.yaml") {
		t.Errorf("missing file: %v", err)
	}
	path := t.TempDir() + "/programs.yaml"
	writeFile(t, path, "programs:\n  - {id: jobs, name: Jobs, purpose: employment, min_score: 600}\n")
	_, err = LoadProgramsFile(path)
	var e *opencredit.Error
	if !errors.As(err, &e) || e.Code != opencredit.EREFUSED || !strings.HasPrefix(err.Error(), path+": line 2: program \"jobs\": purpose: refused purpose \"employment\"") {
		t.Errorf("refused purpose in a file: %v", err)
	}
}

// Programs built in code are checked the same way.
func TestValidate(t *testing.T) {
	ok := Program{ID: "p", Name: "P", Purpose: opencredit.PurposeAccountReview, MinScore: 600}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	bad := ok
	bad.Purpose = "insurance"
	if err := bad.Validate(); opencredit.ErrorCode(err) != opencredit.EREFUSED || !strings.Contains(err.Error(), "underwrite or price insurance") {
		t.Errorf("refused purpose: %v", err)
	}
	bad = ok
	bad.Limit = &Limit{Cap: 100, Bands: map[string]BandLimit{"good": {Amount: 50}}, Minimum: 60}
	if err := bad.Validate(); opencredit.ErrorCode(err) != opencredit.EINVALID || !strings.Contains(err.Error(), `program "p": limit.bands["good"].amount: 50 is below the minimum 60`) {
		t.Errorf("band below minimum: %v", err)
	}
}

func TestCheckScale(t *testing.T) {
	line := examplePrograms(t)["credit-line"]
	if err := line.CheckScale(300, 850, opencredit.DefaultBands()); err != nil {
		t.Errorf("in range: %v", err)
	}
	if err := line.CheckScale(650, 950, opencredit.DefaultBands()); err == nil || !strings.Contains(err.Error(), "min_score: 600 is outside the model's range 650–950") {
		t.Errorf("out of range: %v", err)
	}
	bands := []opencredit.Band{{Name: "C", Min: 300}, {Name: "B", Min: 600}, {Name: "A", Min: 700}}
	if err := line.CheckScale(300, 850, bands); err == nil || !strings.Contains(err.Error(), `limit.bands: "excellent" is not one of the model's bands ("C", "B", "A")`) {
		t.Errorf("unknown band: %v", err)
	}
}

// Every label names a feature OpenCredit computes.
func TestLabelsNameFeatures(t *testing.T) {
	for name := range labels {
		if _, ok := features.Lookup(name); !ok {
			t.Errorf("label for unknown feature %q", name)
		}
	}
}

// FuzzLoadPrograms: any input loads or fails with an *opencredit.Error, never
// panics; whatever loads is valid and decides without panicking.
func FuzzLoadPrograms(f *testing.F) {
	for _, s := range []string{
		"programs:\n  - {id: a, name: A, purpose: account_review, min_score: 600}\n",
		"programs:\n  - id: f\n    name: F\n    purpose: rental_deposit_waiver\n    min_score: 650\n    conditions:\n      - require: worst_days_past_due_24m < 60\n",
		"programs:\n  - id: c\n    name: C\n    purpose: credit_application\n    min_score: 600\n    limit: {cap: 5000, step: 50, bands: {good: {amount: 1000, income_multiple: 0.5}}}\n",
		"programs:\n  - &a {id: a}\n  - *a\n",
		"programs: {a: 1}",
		"- [\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ps, err := LoadPrograms(strings.NewReader(s))
		if err != nil {
			var e *opencredit.Error
			if !errors.As(err, &e) || ps != nil {
				t.Fatalf("error %T %v with programs %v", err, err, ps)
			}
			return
		}
		inc := 1234.0
		for _, p := range ps {
			if err := p.Validate(); err != nil {
				t.Fatalf("loaded an invalid program: %v", err)
			}
			for _, score := range []int{350, 600, 950} {
				Decide(p, model.Result{Score: score, Band: "good"}, opencredit.FeatureVector{}, &inc)
			}
		}
	})
}
