package httpapi

import (
	"net/http"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/api"
)

// handleHealthz answers while the process serves requests at all.
func handleHealthz() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		encode(w, http.StatusOK, api.Status{Status: "ok"})
	})
}

// readyProbe is a subject id no one holds; looking it up proves the store
// answers without reading anyone's data.
const readyProbe = "readyz-probe"

// handleReadyz answers 200 when the store answers a query, 503 otherwise.
// The audit log's witnesses are detail: one that is down leaves the server
// ready, since scoring does not wait for it.
func handleReadyz(d Deps) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, err := d.Store.Subject(r.Context(), readyProbe)
		if code := opencredit.ErrorCode(err); code != "" && code != opencredit.ENOTFOUND {
			d.Logger.ErrorContext(r.Context(), "store not ready", "request_id", requestID(r.Context()), "error", err.Error())
			writeError(d, w, r, opencredit.Errorf(api.CodeUnavailable, "the store does not answer"))
			return
		}
		st := api.Status{Status: "ready"}
		if d.Witnesses != nil {
			st.Witnesses = d.Witnesses()
		}
		encode(w, http.StatusOK, st)
	})
}

// handleNotFound answers every path no route claims, in the API's error form.
func handleNotFound(d Deps) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeError(d, w, r, opencredit.Errorf(opencredit.ENOTFOUND, "no such route: %s %s", r.Method, r.URL.Path))
	})
}
