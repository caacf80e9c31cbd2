package policy

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/opencredit/opencredit"
)

func TestWords(t *testing.T) {
	for in, want := range map[string][]string{
		"personal_status_and_sex": {"personal", "status", "and", "sex"},
		"applicantGender":         {"applicant", "gender"},
		"HTTPStatus2":             {"http", "status", "2"},
		"pay_0":                   {"pay", "0"},
		"Age":                     {"age"},
	} {
		if got := Words(in); !reflect.DeepEqual(got, want) {
			t.Errorf("Words(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestProtected(t *testing.T) {
	protected := map[string]string{
		"sex": "sex or gender", "personal_status_and_sex": "sex or gender", "applicantGender": "sex or gender",
		"MARRIAGE": "marital status", "marital_status": "marital status", "race": "race or ethnicity",
		"Ethnicity": "race or ethnicity", "religion": "religion", "nationality": "nationality or national origin",
		"foreign": "nationality or national origin", "foreign_worker": "nationality or national origin",
		"national_origin": "nationality or national origin", "political_party": "political opinion",
		"party": "political opinion", "union_member": "union membership", "health_status": "health",
		"disability": "disability", "pregnancy": "pregnancy", "sexual_orientation": "sexual orientation",
		"age": "age", "applicant_age": "age", "AgeYears": "age", "date_of_birth": "age", "dob": "age",
	}
	for col, trait := range protected {
		m, ok := Protected(col)
		if !ok || m.Trait != trait {
			t.Errorf("Protected(%q) = %v, %v; want trait %q", col, m, ok, trait)
		}
	}
	// False alarms the rule must not raise: the age of a thing, words that
	// merely contain a protected word, and known compounds.
	for _, col := range []string{
		"account_age", "age_of_oldest_account", "accountAgeMonths", "credit_age", "loan_age",
		"mortgage", "mortgage_balance", "percentage_paid", "usage", "average_balance", "pay_0",
		"limit_bal", "third_party_guarantor", "credit_union_member", "status_account",
		"number_of_credit_cards", "employment", "present_residence_since", "installment_rate",
		"sexton", "messages", "package", "wage", "garage", "stage", "page_views",
	} {
		if m, ok := Protected(col); ok {
			t.Errorf("Protected(%q) = %v: a false alarm", col, m)
		}
	}
}

func TestCheckInputs(t *testing.T) {
	cols := []string{"limit_bal", "sex", "marriage", "age", "pay_0"}
	_, err := CheckInputs(cols, Declarations{})
	if opencredit.ErrorCode(err) != opencredit.EREFUSED {
		t.Fatalf("want refusal, got %v", err)
	}
	for _, want := range []string{`"sex"`, `"marriage"`, `"age"`, "--audit", "--exclude", "--not-protected", "--allow-age"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("refusal message lacks %s:\n%s", want, err)
		}
	}
	ages, err := CheckInputs(cols, Declarations{Audit: []string{"sex"}, Exclude: []string{"marriage"}, AllowAge: true})
	if err != nil || !reflect.DeepEqual(ages, []string{"age"}) {
		t.Fatalf("with declarations: ages %v, err %v", ages, err)
	}
	if _, err := CheckInputs(cols, Declarations{Audit: []string{"sex", "marriage", "age"}}); err != nil {
		t.Fatalf("all declared: %v", err)
	}
	var e *opencredit.Error
	_, err = CheckInputs([]string{"party"}, Declarations{NotProtected: []string{"party"}})
	if errors.As(err, &e) {
		t.Fatalf("--not-protected ignored: %v", err)
	}
}
