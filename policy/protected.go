package policy

import (
	"fmt"
	"strings"
	"unicode"
)

// Trait is a protected characteristic and the words that name it in a column.
type Trait struct {
	Name    string     // e.g. "sex or gender"
	Words   []string   // single words that name the trait
	Phrases [][]string // consecutive words that name it ("marital", "status")
	// Unless lists words that, next to a matched word, mean something else
	// ("third party" is not a political party).
	Unless map[string][]string
}

// Traits are the protected characteristics recognised in column names. The
// list follows the brief: political opinion, religion, ethnicity, nationality
// or national origin, sex or gender, marital status, health, disability,
// pregnancy, sexual orientation, union membership.
var Traits = []Trait{
	{Name: "sex or gender", Words: []string{"sex", "gender", "genders", "male", "female"}},
	{Name: "marital status", Words: []string{"marital", "marriage", "married", "spouse", "widowed", "divorced"},
		Phrases: [][]string{{"civil", "status"}}},
	{Name: "race or ethnicity", Words: []string{"race", "racial", "ethnicity", "ethnic", "ethnicities"}},
	{Name: "religion", Words: []string{"religion", "religious", "faith", "church", "religions"}},
	{Name: "nationality or national origin", Words: []string{"nationality", "nationalities", "foreign", "foreigner", "citizenship", "immigrant", "immigration"},
		Phrases: [][]string{{"national", "origin"}, {"country", "of", "birth"}, {"birth", "country"}}},
	{Name: "political opinion", Words: []string{"political", "politics", "party", "vote", "voter", "voting", "loyalty"},
		Unless: map[string][]string{"party": {"third", "3rd", "counter", "related"}, "loyalty": {"card", "program", "programme", "points"}}},
	{Name: "union membership", Words: []string{"union", "unions", "unionized"},
		Unless: map[string][]string{"union": {"credit", "european", "customs"}}},
	{Name: "health", Words: []string{"health", "medical", "illness", "disease", "diagnosis"}},
	{Name: "disability", Words: []string{"disability", "disabled", "handicap", "impairment"}},
	{Name: "pregnancy", Words: []string{"pregnancy", "pregnant", "maternity"}},
	{Name: "sexual orientation", Phrases: [][]string{{"sexual", "orientation"}, {"sexual", "preference"}},
		Words: []string{"lgbt", "lgbtq", "homosexual", "heterosexual"}},
}

// notAPerson are words that, beside "age", make it the age of a thing — an
// account, a loan, a file — rather than a person's age.
var notAPerson = map[string]bool{
	"account": true, "accounts": true, "acct": true, "credit": true, "loan": true, "loans": true,
	"card": true, "cards": true, "file": true, "oldest": true, "newest": true, "youngest": true,
	"trade": true, "tradeline": true, "tradelines": true, "history": true, "vehicle": true,
	"car": true, "property": true, "house": true, "home": true, "building": true, "debt": true,
	"record": true, "relationship": true, "contract": true, "mortgage": true, "policy": true,
	"business": true, "company": true, "firm": true, "balance": true, "receivable": true,
	"receivables": true, "invoice": true, "bill": true, "bills": true, "item": true, "inquiry": true,
	"avg": true, "average": true, "mean": true, "max": true, "min": true, "months": true,
	"address": true, "residence": true, "job": true, "employment": true, "delinquency": true,
	"arrears": true, "asset": true, "assets": true, "collateral": true, "portfolio": true,
}

// Words splits a column name into lower-case words on any non-letter,
// non-digit character and on camelCase and letter–digit boundaries:
// "personal_status_and_sex" → personal status and sex; "applicantGender" →
// applicant gender; "HTTPStatus2" → http status 2.
func Words(name string) []string {
	var words []string
	var cur []rune
	rs := []rune(name)
	flush := func() {
		if len(cur) > 0 {
			words = append(words, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	for i, r := range rs {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			flush()
			continue
		}
		if len(cur) > 0 {
			prev := rs[i-1]
			switch {
			case unicode.IsLower(prev) && unicode.IsUpper(r):
				flush()
			case unicode.IsUpper(prev) && unicode.IsUpper(r) && i+1 < len(rs) && unicode.IsLower(rs[i+1]):
				flush()
			case unicode.IsDigit(prev) != unicode.IsDigit(r):
				flush()
			}
		}
		cur = append(cur, r)
	}
	flush()
	return words
}

// Match says why a column name looks like a protected trait.
type Match struct {
	Column string
	Trait  string
	Word   string // the word or phrase that matched
}

func (m Match) String() string {
	return fmt.Sprintf("column %q names a protected trait (%s: %q)", m.Column, m.Trait, m.Word)
}

// Protected reports whether the column name names a protected trait. A
// person's age is reported as the trait "age"; the age of an account, a loan or
// a file is not, and neither are words that merely contain "age" (mortgage,
// percentage).
func Protected(column string) (Match, bool) {
	words := Words(column)
	has := func(w string) bool {
		for _, x := range words {
			if x == w {
				return true
			}
		}
		return false
	}
	for _, t := range Traits {
		for i, w := range words {
			for _, tw := range t.Words {
				if w != tw {
					continue
				}
				if unlessNear(words, i, t.Unless[tw]) {
					continue
				}
				return Match{Column: column, Trait: t.Name, Word: tw}, true
			}
		}
		for _, p := range t.Phrases {
			if containsPhrase(words, p) {
				return Match{Column: column, Trait: t.Name, Word: strings.Join(p, " ")}, true
			}
		}
	}
	if has("age") || has("aged") || has("dob") || has("birthdate") || has("birthday") ||
		containsPhrase(words, []string{"date", "of", "birth"}) || containsPhrase(words, []string{"birth", "date"}) ||
		containsPhrase(words, []string{"birth", "year"}) || containsPhrase(words, []string{"year", "of", "birth"}) ||
		containsPhrase(words, []string{"years", "old"}) {
		for _, w := range words {
			if notAPerson[w] {
				return Match{}, false
			}
		}
		return Match{Column: column, Trait: "age", Word: "age"}, true
	}
	return Match{}, false
}

// unlessNear reports whether a word of unless stands right before words[i].
// Compound words such as "counterparty" are split by nothing, so the matched
// word itself must stand alone.
func unlessNear(words []string, i int, unless []string) bool {
	if i == 0 {
		return false
	}
	for _, u := range unless {
		if words[i-1] == u {
			return true
		}
	}
	return false
}

func containsPhrase(words, phrase []string) bool {
	for i := 0; i+len(phrase) <= len(words); i++ {
		ok := true
		for k, p := range phrase {
			if words[i+k] != p {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}
