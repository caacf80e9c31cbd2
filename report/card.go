package report

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/model"
)

// Card is what a model card says beyond the model itself: its record in the
// registry and, optionally, an evaluation on data held out from training.
type Card struct {
	Version     opencredit.ModelVersion
	Transitions []opencredit.ModelTransition
	// Evaluation, when not nil, is the model measured on held-out data:
	// discrimination, calibration by band, fairness.
	Evaluation *Evaluation
	// Limitations are the developer's own, beside those the card derives.
	Limitations []string
}

// WriteModelCard writes a model card: the technical documentation a
// high-risk AI system keeps (EU AI Act Art. 11 and Annex IV; Mitchell et
// al., "Model Cards for Model Reporting", FAT* 2019): identity and status,
// intended purpose and the uses refused, the training data, the features by
// dimension, metrics, fairness evidence and the gate's verdict, limitations,
// and the approval history; then the full model (points, binning) and the
// held-out evaluation (calibration, fairness tables), as WriteModelHTML.
func WriteModelCard(w io.Writer, m *model.Model, c Card) error {
	v := pageView{Title: "Model card: " + c.Version.ID, Sections: []sectionView{{Card: newCardView(m, c)}, {Model: newModelView(m)}}}
	if c.Evaluation != nil {
		v.Sections = append(v.Sections, sectionView{Eval: newEvalView(c.Evaluation)})
	}
	return page.Execute(w, v)
}

type cardView struct {
	Identity    []fact
	Purpose     []string
	Data        []fact
	Metrics     htmlTable
	Fairness    *htmlTable
	Gate        string
	Overrides   []string
	Limitations []string
	History     htmlTable
}

func newCardView(m *model.Model, c Card) *cardView {
	v := c.Version
	cv := &cardView{}
	id := fmt.Sprintf("%s (%s)", v.ID, orDash(v.Kind))
	if v.Name != "" {
		id += ", " + v.Name
	}
	cv.Identity = []fact{
		{"Model", id},
		{"State", v.State + " since " + v.UpdatedAt.UTC().Format(time.DateTime) + " UTC"},
		{"Author", v.Author + ", added " + v.CreatedAt.UTC().Format(time.DateTime) + " UTC"},
		{"Scale", m.Scaling.String() + scaleNote(m)},
	}
	cv.Purpose = []string{
		"Estimates the probability that a person does not repay credit as agreed, from their own payment behaviour, and turns it into a score from " +
			strconv.Itoa(m.Scaling.Min) + " to " + strconv.Itoa(m.Scaling.Max) + " with up to four reasons.",
		"Permitted purposes only: " + strings.Join(opencredit.ScorePurposes(), ", ") + ". The service refuses any other purpose " +
			"(employment, public services, travel, education, internet speed, insurance, housing allocation: FCRA §604, EU AI Act Art. 5(1)(c)).",
		"Inputs are the person's own events; no sensitive trait (ethnicity, religion, politics, sex, marital status, health, nationality...) " +
			"and no other person's data is an input. Audited attributes are read only to measure fairness.",
		"Every decline it contributes to carries its specific reasons (ECOA Reg. B); a person may ask for human review of an automated decision (GDPR Art. 22(3)).",
	}
	tr := m.Training
	cv.Data = []fact{
		{"Training file", orDash(tr.File)},
		{"Fingerprint", "sha256 " + orDash(tr.SHA256)},
		{"Rows", fmt.Sprintf("%d, of which %d bad (%.1f%%)", tr.Rows, tr.Bads, 100*float64(tr.Bads)/float64(max(tr.Rows, 1)))},
		{"Target", orDash(m.Target)},
		{"Audit-only columns", orDash(strings.Join(tr.Audit, ", "))},
		{"Excluded columns", orDash(strings.Join(tr.Excluded, ", "))},
	}
	mt := newTable(left("metric"), right("value"))
	for _, k := range sortedKeys(v.Metrics) {
		mt.add(k, fmt.Sprintf("%.4f", v.Metrics[k]))
	}
	cv.Metrics = mt.view()
	if len(v.Fairness) > 0 {
		ft := newTable(left("attribute"), left("group"), right("cut-off"), right("rows"), right("AIR"), left("flag"))
		bad := 0
		for _, f := range v.Fairness {
			flag, class := "", ""
			if f.AIR < 0.8 {
				flag, class = "below 0.8", "flag"
				bad++
			}
			ft.addClass(class, f.Attribute, f.Group, strconv.Itoa(f.Cutoff), strconv.Itoa(f.Rows), fmt.Sprintf("%.2f", f.AIR), flag)
		}
		t := ft.view()
		cv.Fairness = &t
		cv.Gate = "The fairness gate passes: every audited group's adverse impact ratio is 0.8 or more at every cut-off measured."
		if bad > 0 {
			cv.Gate = fmt.Sprintf("The fairness gate refuses this model: %d group(s) have an adverse impact ratio below 0.8 (the four-fifths rule, 29 CFR 1607.4(D)). It can be approved only with a written override.", bad)
		}
	} else {
		cv.Gate = "No fairness evidence was recorded with this model (add it with --data and --audit to measure it)."
	}
	ht := newTable(left("when (UTC)"), left("change"), left("by"), left("note"))
	for _, t := range c.Transitions {
		ht.add(t.At.UTC().Format(time.DateTime), t.From+" → "+t.To, t.By, t.Note)
		if t.Override != "" {
			cv.Overrides = append(cv.Overrides, fmt.Sprintf("%s, %s: %s", t.By, t.At.UTC().Format(time.DateOnly), t.Override))
		}
	}
	cv.History = ht.view()
	cv.Limitations = append(derivedLimitations(m, v), c.Limitations...)
	return cv
}

// derivedLimitations are what the model's own record says a user should know.
func derivedLimitations(m *model.Model, v opencredit.ModelVersion) []string {
	var out []string
	tr := m.Training
	out = append(out, fmt.Sprintf("Trained on %d rows of one population (%s); its scores and reasons hold for people like them, and drift from them shows in the stability indexes (opencredit_score_psi, opencredit_feature_csi).", tr.Rows, orDash(tr.File)))
	if f, ok := m.Metrics["train_floor_share"]; ok {
		out = append(out, fmt.Sprintf("%.1f%% of the training rows score the floor (%d) and %.1f%% the ceiling (%d); people there are tied.", 100*f, m.Scaling.Min, 100*m.Metrics["train_ceiling_share"], m.Scaling.Max))
	}
	if _, fitted := tr.Options["scale_tail"].(float64); fitted && tr.Options["scale_tail"].(float64) > 0 {
		out = append(out, "The score scale was fitted to the training population: a score and its band say where a person stands among those people, not fixed odds.")
	}
	var unseen []string
	for _, f := range m.Features {
		for _, b := range f.Bins {
			if b.Missing && b.Count == 0 {
				unseen = append(unseen, f.Name)
				break
			}
		}
	}
	if len(unseen) > 0 {
		out = append(out, fmt.Sprintf("No training row lacked %s: a missing value there earns the points of the average (WoE 0), a rule no data tested.", strings.Join(unseen, ", ")))
	}
	if len(v.Fairness) == 0 && len(tr.Audit) == 0 {
		out = append(out, "Fairness was not measured on any protected attribute.")
	}
	out = append(out, "Fairness is measured only on the attributes audited, as approval-rate ratios at the cut-offs named; it says nothing of groups not audited.")
	return out
}

func sortedKeys(m map[string]float64) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
