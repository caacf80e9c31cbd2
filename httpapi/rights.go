package httpapi

import (
	"net/http"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/api"
	"github.com/opencredit/opencredit/rights"
)

// The person's rights: each handler decodes, calls the rights use case
// (which authorizes the person's own client or an operator, and records the
// access) and encodes. Without an audit log the routes answer 404, since
// nothing of a person's may be served unrecorded.

func withRights(d Deps, h func(rs *rights.Service, w http.ResponseWriter, r *http.Request) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if d.Rights == nil {
			writeError(d, w, r, opencredit.Errorf(opencredit.ENOTFOUND, "this server keeps no audit log, so it serves no person's file"))
			return
		}
		if err := h(d.Rights, w, r); err != nil {
			writeError(d, w, r, err)
		}
	})
}

// handleAccesses serves GET /v1/subjects/{id}/accesses?from=N&limit=K.
func handleAccesses(d Deps) http.Handler {
	return withRights(d, func(rs *rights.Service, w http.ResponseWriter, r *http.Request) error {
		from, err := queryInt(r, "from", 0, 0, 1<<62)
		if err != nil {
			return err
		}
		limit, err := queryInt(r, "limit", 100, 1, rights.MaxAccessPage)
		if err != nil {
			return err
		}
		page, err := rs.Accesses(r.Context(), callerOf(r), r.PathValue("id"), from, int(limit))
		if err != nil {
			return err
		}
		encode(w, http.StatusOK, page)
		return nil
	})
}

// handleConsents serves GET /v1/subjects/{id}/consents.
func handleConsents(d Deps) http.Handler {
	return withRights(d, func(rs *rights.Service, w http.ResponseWriter, r *http.Request) error {
		id := r.PathValue("id")
		cs, err := rs.Consents(r.Context(), callerOf(r), id)
		if err != nil {
			return err
		}
		encode(w, http.StatusOK, api.ConsentsResponse{Subject: id, Consents: nonNil(cs)})
		return nil
	})
}

// handleGrantConsent serves POST /v1/subjects/{id}/consents.
func handleGrantConsent(d Deps) http.Handler {
	return withRights(d, func(rs *rights.Service, w http.ResponseWriter, r *http.Request) error {
		q, err := decode[api.ConsentRequest](r)
		if err != nil {
			return err
		}
		c, err := rs.GrantConsent(r.Context(), callerOf(r), r.PathValue("id"), q.Counterparty, q.Purpose)
		if err != nil {
			return err
		}
		encode(w, http.StatusCreated, c)
		return nil
	})
}

// handleWithdrawConsent serves POST /v1/subjects/{id}/consents/withdraw.
func handleWithdrawConsent(d Deps) http.Handler {
	return withRights(d, func(rs *rights.Service, w http.ResponseWriter, r *http.Request) error {
		q, err := decode[api.ConsentRequest](r)
		if err != nil {
			return err
		}
		id := r.PathValue("id")
		cs, err := rs.WithdrawConsent(r.Context(), callerOf(r), id, q.Counterparty, q.Purpose)
		if err != nil {
			return err
		}
		encode(w, http.StatusOK, api.ConsentsResponse{Subject: id, Consents: nonNil(cs)})
		return nil
	})
}

// handleFreeze serves POST /v1/subjects/{id}/freeze, and with lift
// /unfreeze.
func handleFreeze(d Deps, lift bool) http.Handler {
	return withRights(d, func(rs *rights.Service, w http.ResponseWriter, r *http.Request) error {
		change := rs.Freeze
		if lift {
			change = rs.Unfreeze
		}
		st, err := change(r.Context(), callerOf(r), r.PathValue("id"))
		if err != nil {
			return err
		}
		encode(w, http.StatusOK, st)
		return nil
	})
}

// handleExport serves GET /v1/subjects/{id}/export.
func handleExport(d Deps) http.Handler {
	return withRights(d, func(rs *rights.Service, w http.ResponseWriter, r *http.Request) error {
		ex, err := rs.Export(r.Context(), callerOf(r), r.PathValue("id"))
		if err != nil {
			return err
		}
		w.Header().Set("Content-Disposition", `attachment; filename="opencredit-export.json"`)
		encode(w, http.StatusOK, ex)
		return nil
	})
}

// handleErase serves DELETE /v1/subjects/{id}.
func handleErase(d Deps) http.Handler {
	return withRights(d, func(rs *rights.Service, w http.ResponseWriter, r *http.Request) error {
		e, err := rs.Erase(r.Context(), callerOf(r), r.PathValue("id"))
		if err != nil {
			return err
		}
		encode(w, http.StatusOK, e)
		return nil
	})
}

// handleRegister serves POST /v1/subjects.
func handleRegister(d Deps) http.Handler {
	return withRights(d, func(rs *rights.Service, w http.ResponseWriter, r *http.Request) error {
		q, err := decode[api.RegisterRequest](r)
		if err != nil {
			return err
		}
		p := opencredit.PII{Name: q.Name, NationalID: q.NationalID, DateOfBirth: q.DateOfBirth}
		reg, err := rs.Register(r.Context(), callerOf(r), q.ID, p, q.IssueKey, q.ClientID)
		if err != nil {
			return err
		}
		// The key is shown this once: no cache may keep it.
		w.Header().Set("Cache-Control", "no-store")
		encode(w, http.StatusCreated, api.RegisterResponse{Subject: reg.Subject, Client: reg.Client, Key: reg.Key})
		return nil
	})
}
