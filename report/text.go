package report

import (
	"fmt"
	"io"
	"strconv"

	"github.com/opencredit/opencredit/measure"
)

// barWidth is the widest distribution bar in a text report.
const barWidth = 20

// WriteText writes the evaluation for a terminal 80 to 100 columns wide:
// headline measures, the distribution and calibration per band, stability
// against the baseline and the fairness tables, where a group whose adverse
// impact ratio is below 0.8 is marked FLAG.
func (e *Evaluation) WriteText(w io.Writer) error {
	ew := &errWriter{w: w}
	title := e.Title
	if title == "" {
		title = "Evaluation"
	}
	ew.printf("%s\n%s\n", title, e.summary())
	if e.HasTarget {
		ew.printf("\nRanking, on the score      AUC %s   Gini %s   KS %s at score %s\n",
			fixed(e.AUC, 4), fixed(e.Gini, 4), fixed(e.KS, 4), fixed(e.KSScore, 0))
		ew.printf("Probabilities, on the PD   Brier %s   log-loss %s   mean PD %s   AUC %s\n",
			fixed(e.Brier, 4), fixed(e.LogLoss, 4), pct(e.MeanPD), fixed(e.AUCPD, 4))
	} else {
		ew.printf("\nMean PD %s\n", pct(e.MeanPD))
	}

	ew.printf("At the ends of %d–%d     %s at the floor, %s at the ceiling\n",
		e.ScoreMin, e.ScoreMax, pct(Float(e.FloorShare)), pct(Float(e.CeilingShare)))
	if e.ScaleWarning != "" {
		ew.printf("%s\n", wrap("WARNING: "+e.ScaleWarning, textWidth, "  "))
	}

	ew.printf("\nScore bands\n")
	bandTable(e).write(ew, "  ")
	if e.HasTarget {
		ew.printf("  A calibrated model has a mean PD close to the bad rate in every band.\n")
	}
	if s := e.PSI; s != nil {
		ew.printf("\n%s\n  %s\n", psiCaption(s), psiReadingNote)
		psiTable(s).write(ew, "  ")
	}
	if len(e.Fairness) > 0 {
		ew.printf("\n%s\n", wrap(fairnessNote(e), textWidth, ""))
		for _, f := range e.Fairness {
			ew.printf("\n  %s\n", f.Attribute)
			fairnessTable(e, f).write(ew, "  ")
		}
	}
	return ew.err
}

// summary says what was evaluated, in one line.
func (e *Evaluation) summary() string {
	s := fmt.Sprintf("Data: %s, %d rows", orDash(e.Data), e.Rows)
	if !e.HasTarget {
		return s + "; no target, so only distributions are shown"
	}
	return s + fmt.Sprintf(", %d bads (%s)", e.Bads, pct(e.BadRate))
}

// bandTable lists the rows per band and, with a target, each band's
// calibration.
func bandTable(e *Evaluation) *table {
	cols := []column{left("band"), right("scores"), right("rows"), right("share"), right("mean PD")}
	if e.HasTarget {
		cols = append(cols, right("bad rate"), right("bads"))
	}
	t := newTable(append(cols, column{textOnly: true})...)
	for _, b := range e.Bands {
		row := []string{b.Band, scoreRange(b.Min, b.Max), strconv.Itoa(b.Rows), pct(Float(b.Share)), pct(b.MeanPD)}
		if e.HasTarget {
			row = append(row, pct(b.BadRate), strconv.Itoa(b.Bads))
		}
		t.add(append(row, bar(b.Share, barWidth))...)
	}
	return t
}

const psiReadingNote = "below 0.10 stable, 0.10 to 0.25 some shift, above 0.25 significant shift"

func psiCaption(s *Stability) string {
	return fmt.Sprintf("Stability against %s (%d rows): PSI %s, %s", orDash(s.Baseline), s.BaselineRows, fixed(s.PSI, 4), s.Reading)
}

// psiTable lists the shares of the baseline and the evaluated rows in each
// decile bin of the baseline scores.
func psiTable(s *Stability) *table {
	t := newTable(left("scores"), right("baseline"), right("current"), right("contribution"))
	for _, b := range s.Bins {
		t.add(scoreRange(b.Lower, b.Upper), pct(Float(b.Baseline)), pct(Float(b.Current)), fixed(Float(b.Contribution), 4))
	}
	return t
}

func fairnessNote(e *Evaluation) string {
	return fmt.Sprintf("Fairness at cut-off %d: a row is approved when its score is %d or more. "+
		"AIR (adverse impact ratio) is a group's approval rate over the highest group's; "+
		"FLAG marks AIR below %.2f (four-fifths rule, 29 CFR 1607.4(D)).", e.Cutoff, e.Cutoff, measure.FourFifths)
}

// fairnessTable lists the approval outcome per group of one attribute.
func fairnessTable(e *Evaluation, f FairnessTable) *table {
	cols := []column{left("group").cut(nameWidth), right("rows"), right("approved"), right("rate"), right("AIR"),
		left("flag"), right("mean score")}
	if e.HasTarget {
		cols = append(cols, right("bad rate"), right("AUC"))
	}
	t := newTable(cols...)
	for _, g := range f.Groups {
		flag, class := "", ""
		if g.Flagged {
			flag, class = "FLAG", "flag"
		}
		t.addClass(class, g.Group, strconv.Itoa(g.Rows), strconv.Itoa(g.Approved), pct(Float(g.ApprovalRate)),
			fixed(g.AIR, 2), flag, fmt.Sprintf("%.1f", g.MeanScore), pct(g.BadRate), fixed(g.AUC, 3))
	}
	return t
}
