package report

import (
	_ "embed"
	"html/template"
	"io"
	"strconv"

	"github.com/opencredit/opencredit/model"
)

//go:embed report.html.tmpl
var pageSource string

// page is the one HTML template: a document with inline CSS whose charts are
// inline SVG, so that the file can be mailed or archived on its own.
var page = template.Must(template.New("page").Parse(pageSource))

// WriteHTML writes the evaluation as one self-contained HTML file: headline
// measures, the ROC curve, the KS plot, calibration and the score
// distribution, the band, stability and fairness tables, and, when the
// evaluation was made with a model, the model section of WriteModelHTML.
func (e *Evaluation) WriteHTML(w io.Writer) error {
	v := pageView{Title: e.Title, Sections: []sectionView{{Eval: newEvalView(e)}}}
	if v.Title == "" {
		v.Title = "Evaluation"
	}
	if e.model != nil {
		v.Sections = append(v.Sections, sectionView{Model: newModelView(e.model)})
	}
	return page.Execute(w, v)
}

// WriteModelHTML writes the model as one self-contained HTML file: the
// tables of WriteModelText with two charts per feature, the WoE of its bins
// and its points per bin (its shape function), and a heat map of the points
// of each pair's cells, then the evaluation e when it is not nil.
func WriteModelHTML(w io.Writer, m *model.Model, e *Evaluation) error {
	title := "Model"
	if m.Kind != "" {
		title = "Model: " + m.Kind
	}
	if m.Training.File != "" {
		title += " trained on " + m.Training.File
	}
	v := pageView{Title: title, Sections: []sectionView{{Model: newModelView(m)}}}
	if e != nil {
		v.Sections = append(v.Sections, sectionView{Eval: newEvalView(e)})
	}
	return page.Execute(w, v)
}

type pageView struct {
	Title    string
	Sections []sectionView
}

// sectionView holds one of an evaluation and a model.
type sectionView struct {
	Eval  *evalView
	Model *modelView
	Card  *cardView
}

type evalView struct {
	Summary      string
	HasTarget    bool
	ScaleWarning string
	Cards        []fact
	Charts       []chartView
	Bands        htmlTable
	PSI          *psiView
	FairnessNote string
	Fairness     []fairnessView
}

type chartView struct {
	Chart   template.HTML
	Caption string
}

type psiView struct {
	Caption, Note string
	Table         htmlTable
}

type fairnessView struct {
	Attribute string
	Table     htmlTable
}

func newEvalView(e *Evaluation) *evalView {
	v := &evalView{Summary: e.summary(), HasTarget: e.HasTarget, Bands: bandTable(e).view(), ScaleWarning: e.ScaleWarning}
	if e.HasTarget {
		v.Cards = []fact{
			{"AUC", fixed(e.AUC, 4)}, {"Gini", fixed(e.Gini, 4)},
			{"KS", fixed(e.KS, 4) + " at " + fixed(e.KSScore, 0)},
			{"Brier", fixed(e.Brier, 4)}, {"Log-loss", fixed(e.LogLoss, 4)},
			{"Bad rate", pct(e.BadRate)}, {"Mean PD", pct(e.MeanPD)}, {"AUC of the PD", fixed(e.AUCPD, 4)},
			{"At the floor", pct(Float(e.FloorShare))}, {"At the ceiling", pct(Float(e.CeilingShare))},
		}
		if len(e.ROC) > 0 {
			v.Charts = append(v.Charts,
				chartView{rocChart(e), "Share of bads against share of goods declined as the cut-off rises; the dashed diagonal is a random ranking."},
				chartView{ksChart(e), "Cumulative share of bads and goods scoring at or below each score; KS is the widest gap."})
		}
		v.Charts = append(v.Charts, chartView{calibrationChart(e), "Observed bad rate against mean predicted PD per band; a calibrated model lies on the dashed diagonal."})
	} else {
		v.Cards = []fact{{"Rows", strconv.Itoa(e.Rows)}, {"Mean PD", pct(e.MeanPD)},
			{"At the floor", pct(Float(e.FloorShare))}, {"At the ceiling", pct(Float(e.CeilingShare))}}
	}
	v.Charts = append(v.Charts, chartView{histogramChart(e), "Rows per 25-point score bucket."})
	if s := e.PSI; s != nil {
		v.PSI = &psiView{Caption: psiCaption(s), Note: "PSI " + psiReadingNote + ".", Table: psiTable(s).view()}
	}
	if len(e.Fairness) > 0 {
		v.FairnessNote = fairnessNote(e)
		for _, f := range e.Fairness {
			v.Fairness = append(v.Fairness, fairnessView{Attribute: f.Attribute, Table: fairnessTable(e, f).view()})
		}
	}
	return v
}

type modelView struct {
	Facts            []fact
	ScorecardCaption string
	Scorecard        htmlTable
	DimensionNote    string
	Dimensions       htmlTable
	Features         []featureView
	PairsNote        string
	Pairs            []pairView
	Dropped          *htmlTable
}

type featureView struct {
	Name, About string
	Table       htmlTable
	WoE, Points template.HTML
}

type pairView struct {
	ID, Name, About string
	Table           htmlTable
	Chart           template.HTML
}

func newModelView(m *model.Model) *modelView {
	v := &modelView{
		Facts:            modelFacts(m),
		ScorecardCaption: scorecardCaption(m),
		Scorecard:        scorecardTable(m).view(),
		DimensionNote:    dimensionNote(m),
		Dimensions:       dimensionTable(m).view(),
	}
	for j := range m.Features {
		f := &m.Features[j]
		v.Features = append(v.Features, featureView{Name: f.Name, About: featureAbout(m, f), Table: binningTable(f).view(),
			WoE: woeChart(f), Points: pointsChart(f)})
	}
	if len(m.Pairs) > 0 {
		v.PairsNote = pairsNote
	}
	for i := range m.Pairs {
		p := &m.Pairs[i]
		all := make([]int, len(p.Axes[1].Bins))
		for c := range all {
			all[c] = c
		}
		v.Pairs = append(v.Pairs, pairView{
			ID: p.Features[0] + "-" + p.Features[1], Name: p.Name(), About: pairAbout(p),
			Table: pairTable(p, all, false).view(), Chart: pairChart(p),
		})
	}
	if len(m.Dropped) > 0 {
		t := droppedTable(m).view()
		v.Dropped = &t
	}
	return v
}
