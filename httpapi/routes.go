package httpapi

import (
	"net/http"

	"github.com/opencredit/opencredit"
)

// addRoutes lists the whole API surface. Each authenticated route names the
// roles that may call it; the handler then checks the object: the subject,
// the purpose and the consent.
func addRoutes(mux *http.ServeMux, d Deps) {
	mux.Handle("GET /healthz", handleHealthz())
	mux.Handle("GET /readyz", handleReadyz(d))

	mux.Handle("POST /v1/events",
		authenticate(d, MaxEventsBodyBytes, handleEvents(d), opencredit.RoleFurnisher))
	mux.Handle("GET /v1/subjects/{id}/score",
		authenticate(d, MaxBodyBytes, handleScore(d), opencredit.RoleLender, opencredit.RoleSubject))
	mux.Handle("POST /v1/decisions",
		authenticate(d, MaxBodyBytes, handleDecision(d), opencredit.RoleLender))
	mux.Handle("GET /v1/subjects/{id}/data",
		authenticate(d, MaxBodyBytes, handleSubjectData(d), opencredit.RoleSubject))

	mux.Handle("/", handleNotFound(d))
}
