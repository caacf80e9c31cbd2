package demo

import (
	"context"
	"slices"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/features"
	"github.com/opencredit/opencredit/model"
	"github.com/opencredit/opencredit/scoring"
	"github.com/opencredit/opencredit/simulate"
)

// Candidates is how many people the demo chooses its people from: the
// first, by index. The guide's example of a person the lender holds no
// consent for is the one after them.
const Candidates = 2000

// pickPeople chooses, among the first people, three to give tokens to:
// the best score, one just below the bike program's 600 (declined, with
// reasons), and a thin file (no credit account, bills and rentals only).
func pickPeople(ctx context.Context, st opencredit.Store, m *model.Model, subjects int, now time.Time) ([]Person, error) {
	type scored struct {
		id    string
		score int
		thin  bool
	}
	var all []scored
	for i := range min(subjects, Candidates) {
		id := simulate.SubjectID(i)
		fv, err := st.Features(ctx, id, now)
		if err != nil {
			return nil, err
		}
		res, err := scoring.ScoreFeatures(m, fv) // the score the guide's requests will show
		if err != nil {
			return nil, err
		}
		_, hasCredit := fv.Values[features.OldestAccountMonths]
		all = append(all, scored{id, res.Score, !hasCredit && fv.Values[features.Bills12m] > 0})
	}
	if len(all) == 0 {
		return nil, opencredit.Errorf(opencredit.EINVALID, "no people to choose demo people from")
	}
	best := slices.MaxFunc(all, func(a, b scored) int { return a.score - b.score })
	out := []Person{{ID: best.id, Why: "the best score among the first people", Score: best.score}}
	var below *scored
	for k := range all {
		if a := &all[k]; a.score < 600 && a.score >= 500 && (below == nil || a.score > below.score) {
			below = a
		}
	}
	if below != nil {
		out = append(out, Person{ID: below.id, Why: "just below 600: declined for the bike, with reasons", Score: below.score})
	}
	if k := slices.IndexFunc(all, func(a scored) bool { return a.thin }); k >= 0 {
		out = append(out, Person{ID: all[k].id, Why: "a thin file: bills and rentals, no credit account", Score: all[k].score})
	}
	return out, nil
}
