package web

import (
	"net/http"
	"strconv"
)

type erasePage struct{ Confirm bool }

// handleEraseForm explains what erasure deletes and keeps, and asks the
// person to confirm (GDPR Art. 17).
func (s *Server) handleEraseForm(w http.ResponseWriter, r *http.Request, v visit) {
	s.render(w, r, http.StatusOK, "erase.html", v.page("Erase your data", "erase", erasePage{}))
}

// handleErase erases the person's file through the rights use case, which
// records it, then ends the session: there is no file left to show. An
// unticked confirmation shows the form again with the error summary.
func (s *Server) handleErase(w http.ResponseWriter, r *http.Request, v visit) {
	if r.PostForm.Get("confirm") != "yes" {
		pg := v.page("Erase your data", "erase", erasePage{})
		pg.Errors = []fieldError{{Field: "confirm", Message: "Tick the box to say you understand that erasure cannot be undone"}}
		s.render(w, r, http.StatusBadRequest, "erase.html", pg)
		return
	}
	e, err := s.cfg.Rights.Erase(r.Context(), v.caller, v.client.Subject)
	if err != nil {
		s.failed(w, r, &v, err)
		return
	}
	s.sessions.end(v.session.id)
	s.clearSession(w, r)
	http.Redirect(w, r, "/signin?erased="+strconv.Itoa(e.EventsDeleted), http.StatusSeeOther)
}
