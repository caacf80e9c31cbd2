package policy

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/opencredit/opencredit"
)

// Permissible purposes, after FCRA §604(a)(3): a score may be pulled only to
// decide on credit the person applied for (§604(a)(3)(A)), to review an
// account they hold (same), to waive the deposit of a rental they asked for
// (a business transaction the person initiated, §604(a)(3)(F)(i)), or for
// the person to read their own file (§609).
// Everything else is refused, because the EU AI Act Art. 5(1)(c) forbids
// social scoring that leads to detrimental treatment in social contexts
// unrelated to the one in which the data was generated — the use the seed
// system made of its scores.
var permissible = opencredit.ScorePurposes()

// refusedPurposes names the uses a score must never serve that people ask for
// by name, with the sentence each refusal states. Any other purpose is
// refused with a generic sentence.
var refusedPurposes = map[string]string{
	"employment":         "scores may not be used for employment screening",
	"public_services":    "scores may not be used to grant, ration or withhold public services or benefits",
	"travel":             "scores may not be used to allow or restrict travel",
	"education":          "scores may not be used for admission to schools or universities or any other educational decision",
	"telecom":            "scores may not be used to grant or restrict telecom or internet service",
	"internet_speed":     "scores may not be used to set internet speed or any other quality of service",
	"insurance":          "scores may not be used to underwrite or price insurance",
	"housing_allocation": "scores may not be used to allocate housing; a rental platform may use one only to waive a deposit (rental_deposit_waiver)",
	"immigration":        "scores may not be used in immigration, residence or visa decisions",
	"dating":             "scores may not be shown to or used by dating or matchmaking services",
	// Furnishing is a consent purpose (a furnisher may send a subject's
	// events), never a reason to read a score.
	opencredit.PurposeFurnishing: "furnishing is the purpose for sending a person's data, not for reading their score",
}

// purposeAliases maps other words people use for a refused purpose to its
// name, so that the refusal states the specific rule.
var purposeAliases = map[string]string{
	"employment_screening": "employment",
	"hiring":               "employment",
	"recruitment":          "employment",
	"public_service":       "public_services",
	"government_services":  "public_services",
	"social_benefits":      "public_services",
	"welfare":              "public_services",
	"school":               "education",
	"school_admission":     "education",
	"university":           "education",
	"telecommunications":   "telecom",
	"internet":             "telecom",
	"bandwidth":            "internet_speed",
	"housing":              "housing_allocation",
	"social_housing":       "housing_allocation",
	"visa":                 "immigration",
	"matchmaking":          "dating",
}

// PermissiblePurposes returns the purposes a score may serve, in a stable order.
func PermissiblePurposes() []string {
	return append([]string(nil), permissible...)
}

// RefusedPurposes returns the refused purposes that have a specific refusal,
// sorted. Any purpose not in PermissiblePurposes is refused too.
func RefusedPurposes() []string {
	return slices.Sorted(maps.Keys(refusedPurposes))
}

// Permissible reports whether a score may serve purpose. Matching is exact: a
// purpose is an identifier, recorded as given in the audit log.
func Permissible(purpose string) bool {
	return slices.Contains(permissible, purpose)
}

// CheckPurpose returns nil if purpose is permissible and otherwise an
// *opencredit.Error with code EREFUSED whose message names the refused
// purpose, states the rule and lists the permissible purposes. It is meant to
// be shown to the caller as it is.
func CheckPurpose(purpose string) error {
	if Permissible(purpose) {
		return nil
	}
	return &opencredit.Error{Code: opencredit.EREFUSED, Message: fmt.Sprintf(
		"refused purpose %s: %s. Scores serve only permissible credit purposes (FCRA §604); "+
			"the EU AI Act Art. 5(1)(c) forbids using them for detrimental treatment in social contexts "+
			"unrelated to the one the data came from. Permissible purposes: %s",
		quotePurpose(purpose), refusalSentence(purpose), strings.Join(permissible, ", "))}
}

// refusalSentence is the specific sentence for a known refused purpose, found
// after folding case, spaces and hyphens, or a generic one.
func refusalSentence(purpose string) string {
	key := strings.Trim(strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return '_'
		}
		return r
	}, strings.ToLower(strings.TrimSpace(purpose))), "_")
	if alias, ok := purposeAliases[key]; ok {
		key = alias
	}
	if s, ok := refusedPurposes[key]; ok {
		return s
	}
	if Permissible(key) {
		return fmt.Sprintf("purposes are matched exactly, and the permissible one nearest to it is %q", key)
	}
	if purpose == "" {
		return "no purpose was given, and a score is never served without one"
	}
	return "it is not a permissible purpose, and a score may not be used outside credit"
}

// maxQuoted bounds how much of a caller's purpose a refusal echoes back.
const maxQuoted = 64

func quotePurpose(p string) string {
	if utf8.RuneCountInString(p) <= maxQuoted {
		return fmt.Sprintf("%q", p)
	}
	r := []rune(p)
	return fmt.Sprintf("%q…", string(r[:maxQuoted]))
}
