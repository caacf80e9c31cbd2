package httpapi

import (
	"net/http"

	"github.com/opencredit/opencredit"
)

// addRoutes lists the whole API surface. Each authenticated route names the
// roles that may call it; the handler then checks the object: the subject,
// the purpose and the consent.
//
// /metrics is for operators only: the counts it exposes (traffic by route,
// refusals, the spread of scores by band) describe the business, though
// they hold no subject id or other personal data. Prometheus scrapes it with
// an operator key (scrape config: authorization: credentials_file). Keep it,
// with /healthz and /readyz, off the public interface where you can anyway.
func addRoutes(mux *http.ServeMux, d Deps) {
	mux.Handle("GET /healthz", handleHealthz())
	mux.Handle("GET /readyz", handleReadyz(d))
	mux.Handle("GET /openapi.yaml", handleOpenAPI())
	mux.Handle("GET /metrics",
		authenticate(d, MaxBodyBytes, handleMetrics(d.metrics), opencredit.RoleOperator))

	mux.Handle("POST /v1/events",
		authenticate(d, MaxEventsBodyBytes, handleEvents(d), opencredit.RoleFurnisher))
	mux.Handle("GET /v1/subjects/{id}/score",
		authenticate(d, MaxBodyBytes, handleScore(d), opencredit.RoleLender, opencredit.RoleSubject))
	mux.Handle("POST /v1/decisions",
		authenticate(d, MaxBodyBytes, handleDecision(d), opencredit.RoleLender))
	mux.Handle("GET /v1/subjects/{id}/data",
		authenticate(d, MaxBodyBytes, handleSubjectData(d), opencredit.RoleSubject))

	// The person's rights (rights.go): the person's own client and operators.
	self := []string{opencredit.RoleSubject, opencredit.RoleOperator}
	mux.Handle("POST /v1/subjects",
		authenticate(d, MaxBodyBytes, handleRegister(d), opencredit.RoleOperator))
	mux.Handle("DELETE /v1/subjects/{id}",
		authenticate(d, MaxBodyBytes, handleErase(d), self...))
	mux.Handle("GET /v1/subjects/{id}/accesses",
		authenticate(d, MaxBodyBytes, handleAccesses(d), self...))
	mux.Handle("GET /v1/subjects/{id}/consents",
		authenticate(d, MaxBodyBytes, handleConsents(d), self...))
	mux.Handle("POST /v1/subjects/{id}/consents",
		authenticate(d, MaxBodyBytes, handleGrantConsent(d), self...))
	mux.Handle("POST /v1/subjects/{id}/consents/withdraw",
		authenticate(d, MaxBodyBytes, handleWithdrawConsent(d), self...))
	mux.Handle("POST /v1/subjects/{id}/freeze",
		authenticate(d, MaxBodyBytes, handleFreeze(d, false), self...))
	mux.Handle("POST /v1/subjects/{id}/unfreeze",
		authenticate(d, MaxBodyBytes, handleFreeze(d, true), self...))
	mux.Handle("GET /v1/subjects/{id}/export",
		authenticate(d, MaxBodyBytes, handleExport(d), self...))

	// Disputes (FCRA §611) and human review (GDPR Art. 22(3)): the handlers'
	// use case checks the object (own subject, own queue). A dispute's or a
	// review's id is not {id}, which names a person's file (authenticate
	// records a wrong role's refusal under it).
	mux.Handle("GET /v1/subjects/{id}/disputes",
		authenticate(d, MaxBodyBytes, handleSubjectDisputes(d), opencredit.RoleSubject, opencredit.RoleOperator))
	mux.Handle("POST /v1/subjects/{id}/disputes",
		authenticate(d, MaxBodyBytes, handleOpenDispute(d), opencredit.RoleSubject))
	mux.Handle("GET /v1/disputes",
		authenticate(d, MaxBodyBytes, handleDisputeQueue(d), opencredit.RoleFurnisher, opencredit.RoleOperator))
	// A correction carries an event's data, up to opencredit.MaxEventBytes
	// itself: the events route's limit.
	mux.Handle("POST /v1/disputes/{dispute}/resolve",
		authenticate(d, MaxEventsBodyBytes, handleResolveDispute(d), opencredit.RoleFurnisher, opencredit.RoleOperator))
	mux.Handle("GET /v1/subjects/{id}/reviews",
		authenticate(d, MaxBodyBytes, handleSubjectReviews(d), opencredit.RoleSubject, opencredit.RoleOperator))
	mux.Handle("POST /v1/subjects/{id}/reviews",
		authenticate(d, MaxBodyBytes, handleRequestReview(d), opencredit.RoleSubject))
	mux.Handle("GET /v1/reviews",
		authenticate(d, MaxBodyBytes, handleReviewQueue(d), opencredit.RoleOperator))
	mux.Handle("POST /v1/reviews/{review}/resolve",
		authenticate(d, MaxBodyBytes, handleResolveReview(d), opencredit.RoleOperator))

	mux.Handle("GET /v1/model",
		authenticate(d, MaxBodyBytes, handleModel(d), opencredit.RoleOperator))
	mux.Handle("GET /v1/models",
		authenticate(d, MaxBodyBytes, handleModels(d), opencredit.RoleOperator))
	mux.Handle("POST /v1/models",
		authenticate(d, MaxModelBodyBytes, handleAddModel(d), opencredit.RoleOperator))
	mux.Handle("GET /v1/models/{model}",
		authenticate(d, MaxBodyBytes, handleModelVersion(d), opencredit.RoleOperator))
	mux.Handle("POST /v1/models/{model}/approve",
		authenticate(d, MaxBodyBytes, handleModelChange(d, actionModelApprove, approveModel), opencredit.RoleOperator))
	mux.Handle("POST /v1/models/{model}/activate",
		authenticate(d, MaxBodyBytes, handleModelChange(d, actionModelActivate, activateModel), opencredit.RoleOperator))
	mux.Handle("POST /v1/models/{model}/retire",
		authenticate(d, MaxBodyBytes, handleModelChange(d, actionModelRetire, retireModel), opencredit.RoleOperator))
	mux.Handle("POST /v1/models/rollback",
		authenticate(d, MaxBodyBytes, handleModelChange(d, actionModelRollback, rollbackModel), opencredit.RoleOperator))
	mux.Handle("GET /v1/programs",
		authenticate(d, MaxBodyBytes, handlePrograms(d), opencredit.RoleOperator))
	mux.Handle("GET /v1/audit/checkpoint",
		authenticate(d, MaxBodyBytes, handleCheckpoint(d), opencredit.RoleOperator))
	mux.Handle("GET /v1/audit/records",
		authenticate(d, MaxBodyBytes, handleAuditRecords(d), opencredit.RoleOperator))
	mux.Handle("GET /v1/audit/records/{index}/proof",
		authenticate(d, MaxBodyBytes, handleRecordProof(d), opencredit.RoleOperator))
	mux.Handle("GET /v1/subjects/{id}/accesses/{index}/proof",
		authenticate(d, MaxBodyBytes, handleAccessProof(d), opencredit.RoleSubject))

	mux.Handle("/v1/", handleNotFound(d))
	// The scored person's pages (package web): sign-in, score, data.
	mux.Handle("/", d.pages)
}
