package web

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/model"
	"github.com/opencredit/opencredit/report"
	"github.com/opencredit/opencredit/scoring"
)

// The operators' reading pages: the model registry and each model's card,
// the audit log with its verification status, and the programs. Each read
// is recorded in the audit log under the operator with the action the
// API's route of the same read records (httpapi/models.go, operator.go).
const (
	actionModelsRead  = audit.ActionModelsRead
	actionAuditRead   = audit.ActionAuditRead
	actionProgramRead = audit.ActionProgramRead
)

// opsInfoRoutes lists the reading pages.
func (s *Server) opsInfoRoutes() {
	s.mux.Handle("GET /ops/models", s.operator(s.handleOpsModels))
	s.mux.Handle("GET /ops/models/{model}/card", s.operator(s.handleOpsModelCard))
	s.mux.Handle("GET /ops/monitoring", s.operator(s.handleOpsMonitoring))
	s.mux.Handle("GET /ops/audit", s.operator(s.handleOpsAudit))
	s.mux.Handle("GET /ops/programs", s.operator(s.handleOpsPrograms))
}

// record is an operator's read, in the audit log; a failure to record it
// fails the page, as it fails the API's route.
func (s *Server) record(r *http.Request, v visit, action string, res audit.Result) error {
	return s.cfg.Scoring.Record(r.Context(), v.caller, scoring.PurposeOperations, "", action, res)
}

var modelStateWords = map[string]string{
	opencredit.ModelDraft: "Draft", opencredit.ModelApproved: "Approved", opencredit.ModelActive: "Active: scores with it",
	opencredit.ModelRetired: "Retired",
}

type modelRow struct {
	ID, Kind, Name, Author, Created, State, Updated, Card string
	AUC                                                   string
	Active                                                bool
}

type modelsPage struct {
	Registry bool // the store keeps a registry
	Serving  string
	Rows     []modelRow
	Drift    string // the monitor's worst level's word, when it raises an alert
	DriftCls string
}

// handleOpsModels lists the registry's models, newest first, with their
// states and a link to each card.
func (s *Server) handleOpsModels(w http.ResponseWriter, r *http.Request, v visit) {
	_, serving := s.cfg.Scoring.Model()
	p := modelsPage{Registry: s.cfg.Models != nil, Serving: serving}
	if s.cfg.Drift != nil {
		worst := ""
		for _, d := range s.cfg.Drift.Report() {
			if l := d.Level(); l == "act" || (l == "watch" && worst == "") {
				worst = l
			}
		}
		if worst != "" {
			p.Drift, p.DriftCls = levelWords[worst], worst
		}
	}
	var vs []opencredit.ModelVersion
	if s.cfg.Models != nil {
		var err error
		if vs, err = s.cfg.Models.ModelVersions(r.Context()); err != nil {
			s.failed(w, r, &v, err)
			return
		}
	}
	if err := s.record(r, v, actionModelsRead, audit.Result{Items: len(vs)}); err != nil {
		s.failed(w, r, &v, err)
		return
	}
	for i := len(vs) - 1; i >= 0; i-- {
		m := vs[i]
		row := modelRow{ID: m.ID, Kind: m.Kind, Name: m.Name, Author: m.Author, Created: humanDate(m.CreatedAt), Updated: humanDate(m.UpdatedAt),
			State: modelStateWords[m.State], Card: "/ops/models/" + url.PathEscape(m.ID) + "/card", Active: m.State == opencredit.ModelActive}
		if row.State == "" {
			row.State = m.State
		}
		if auc, ok := m.Metrics["auc"]; ok {
			row.AUC = strconv.FormatFloat(auc, 'f', 3, 64)
		}
		p.Rows = append(p.Rows, row)
	}
	s.render(w, r, http.StatusOK, "ops_models.html", v.page("Models", "ops-models", p))
}

// handleOpsModelCard writes the model card of one registry model, as
// `opencredit models card` writes it (report.WriteModelCard), without an
// evaluation: that needs held-out data the server does not hold.
func (s *Server) handleOpsModelCard(w http.ResponseWriter, r *http.Request, v visit) {
	id := r.PathValue("model")
	if s.cfg.Models == nil {
		s.renderError(w, r, &v, http.StatusNotFound, "This server keeps no model registry", "The store has no model registry, so there is no model card to show.")
		return
	}
	mv, artifact, err := s.cfg.Models.ModelVersion(r.Context(), id)
	if opencredit.ErrorCode(err) == opencredit.ENOTFOUND {
		s.renderError(w, r, &v, http.StatusNotFound, "This model was not found", "There is no model "+quoteOrNone(id)+" in the registry. Go back to the models.")
		return
	}
	if err != nil {
		s.failed(w, r, &v, err)
		return
	}
	m, err := model.Load(bytes.NewReader(artifact))
	if err != nil {
		s.failed(w, r, &v, &opencredit.Error{Code: opencredit.EINTERNAL, Message: "web: model " + id + " in the registry does not load", Err: err})
		return
	}
	ts, err := s.cfg.Models.ModelTransitions(r.Context(), id)
	if err != nil {
		s.failed(w, r, &v, err)
		return
	}
	var b bytes.Buffer
	if err := report.WriteModelCard(&b, m, report.Card{Version: mv, Transitions: ts}); err != nil {
		s.failed(w, r, &v, &opencredit.Error{Code: opencredit.EINTERNAL, Message: "web: model card of " + id, Err: err})
		return
	}
	if err := s.record(r, v, actionModelsRead, audit.Result{Model: id}); err != nil {
		s.failed(w, r, &v, err)
		return
	}
	// The card is a standalone document with its own inline style sheet
	// and no scripts, links or images (report's tests check it).
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write(b.Bytes())
}

// auditPageSize is how many records the audit page shows; auditScanLimit
// how many of the latest records a search reads at most.
const (
	auditPageSize  = 50
	auditScanLimit = 20000
)

type auditRow struct {
	Index                                                         int64
	When, Client, Role, Purpose, Subject, Action, Result, Request string
	Refused                                                       bool
}

type witnessRow struct {
	Name, URL, Cosigned, Error string
}

type auditPage struct {
	Size       int64
	Checkpoint string // the latest signed checkpoint, as stored
	Witnesses  []witnessRow
	HasWitness bool
	Subject    string
	Client     string
	Rows       []auditRow
	Newer      string
	Older      string
	Scanned    int64 // records a search read, when it stopped before the start
}

// handleOpsAudit shows the log's size, its latest checkpoint and the
// witnesses' status, then the latest records a page at a time
// (?before= the index to list below), or those of a subject or a client
// (?subject=, ?client=) among the latest auditScanLimit.
func (s *Server) handleOpsAudit(w http.ResponseWriter, r *http.Request, v visit) {
	if s.cfg.Audit == nil {
		s.renderError(w, r, &v, http.StatusNotFound, "This server keeps no audit log", "The server was started without an audit log.")
		return
	}
	q := r.URL.Query()
	p := auditPage{Subject: strings.TrimSpace(q.Get("subject")), Client: strings.TrimSpace(q.Get("client"))}
	p.Size = s.cfg.Audit.Size()
	before := p.Size
	if b := q.Get("before"); b != "" {
		n, err := strconv.ParseInt(b, 10, 64)
		if err != nil || n < 0 {
			s.renderError(w, r, &v, http.StatusBadRequest, "This page does not exist",
				"Parameter before: "+quoteOrNone(b)+" is not an index of the audit log. Go back to the latest records.")
			return
		}
		before = min(n, p.Size)
	}
	cp, err := s.cfg.Audit.LatestCheckpoint(r.Context())
	if err != nil {
		s.failed(w, r, &v, err)
		return
	}
	p.Checkpoint = string(cp)
	if s.cfg.Witnesses != nil {
		for _, ws := range s.cfg.Witnesses() {
			row := witnessRow{Name: ws.Witness, URL: ws.URL, Cosigned: "never", Error: ws.Error}
			if ws.CosignedAt != nil {
				row.Cosigned = fmt.Sprintf("%s records, on %s", groupDigits(float64(ws.CosignedSize), 0), ws.CosignedAt.UTC().Format("2 January 2006, 15:04 UTC"))
			}
			p.Witnesses = append(p.Witnesses, row)
		}
		p.HasWitness = true
	}
	search := p.Subject != "" || p.Client != ""
	n := before - 1
	for ; n >= 0 && len(p.Rows) < auditPageSize && before-n <= auditScanLimit; n-- {
		b, err := s.cfg.Audit.Record(r.Context(), n)
		if err != nil {
			s.failed(w, r, &v, err)
			return
		}
		rec, err := audit.ParseRecord(b)
		if err != nil {
			s.failed(w, r, &v, &opencredit.Error{Code: opencredit.EINTERNAL, Message: fmt.Sprintf("web: audit record %d does not parse; run opencredit audit verify", n), Err: err})
			return
		}
		if (p.Subject != "" && rec.Subject != p.Subject) || (p.Client != "" && rec.Client != p.Client) {
			continue
		}
		p.Rows = append(p.Rows, auditRowOf(n, rec))
	}
	if n >= 0 {
		p.Older = auditLink(p, n+1)
		if search && len(p.Rows) < auditPageSize {
			p.Scanned = before - n - 1
		}
	}
	if before < p.Size {
		p.Newer = auditLink(p, min(p.Size, before+auditPageSize))
		if search {
			p.Newer = auditLink(p, p.Size)
		}
	}
	if err := s.record(r, v, actionAuditRead, audit.Result{Items: len(p.Rows)}); err != nil {
		s.failed(w, r, &v, err)
		return
	}
	s.render(w, r, http.StatusOK, "ops_audit.html", v.page("Audit log", "ops-audit", p))
}

func auditLink(p auditPage, before int64) string {
	q := url.Values{"before": {strconv.FormatInt(before, 10)}}
	if p.Subject != "" {
		q.Set("subject", p.Subject)
	}
	if p.Client != "" {
		q.Set("client", p.Client)
	}
	return "/ops/audit?" + q.Encode()
}

func auditRowOf(n int64, rec audit.Record) auditRow {
	row := auditRow{Index: n, When: rec.Time.UTC().Format("2 Jan 2006, 15:04:05 UTC"), Client: rec.Client, Role: rec.Role,
		Purpose: rec.Purpose, Subject: rec.Subject, Action: rec.Action, Request: rec.RequestID, Refused: rec.Result.Error != ""}
	var parts []string
	res := rec.Result
	if res.Error != "" {
		parts = append(parts, "refused: "+res.Error)
	}
	if res.Score != 0 {
		parts = append(parts, strings.TrimSpace("score "+strconv.Itoa(res.Score)+" "+res.Band))
	}
	if res.Decision != "" {
		parts = append(parts, res.Decision)
	}
	if len(res.Reasons) > 0 {
		parts = append(parts, "reasons "+strings.Join(res.Reasons, ", "))
	}
	if res.Model != "" {
		parts = append(parts, "model "+res.Model)
	}
	if res.Items != 0 {
		parts = append(parts, plural(res.Items, "item", "items"))
	}
	row.Result = strings.Join(parts, "; ")
	return row
}

type programRow struct {
	ID, Name, Purpose, Product, Limit string
	MinScore                          int
	Conditions                        []string
}

// handleOpsPrograms lists the programs decisions can be asked for.
func (s *Server) handleOpsPrograms(w http.ResponseWriter, r *http.Request, v visit) {
	if err := s.record(r, v, actionProgramRead, audit.Result{}); err != nil {
		s.failed(w, r, &v, err)
		return
	}
	var rows []programRow
	for _, p := range s.cfg.Scoring.Programs() {
		row := programRow{ID: p.ID, Name: p.Name, Purpose: purposeWords(p.Purpose), Product: p.Product, MinScore: p.MinScore}
		for _, c := range p.Conditions {
			cond := fmt.Sprintf("%s %s %s", labelOf(c.Feature), c.Op, strconv.FormatFloat(c.Value, 'f', -1, 64))
			if c.IfMissing != "" {
				cond += " (if no data: " + string(c.IfMissing) + ")"
			}
			row.Conditions = append(row.Conditions, cond)
		}
		if p.Limit != nil {
			row.Limit = "up to " + money(p.Limit.Cap, p.Limit.Currency)
		}
		rows = append(rows, row)
	}
	s.render(w, r, http.StatusOK, "ops_programs.html", v.page("Programs", "ops-programs", rows))
}
