package web

import (
	"bytes"
	"html/template"
	"net/http"
)

// pageNames are the templates under templates/, each rendered inside
// layout.html.
var pageNames = []string{"signin.html", "score.html", "data.html", "error.html", "accesses.html", "consents.html", "freeze.html",
	"disputes.html", "dispute_form.html", "reviews.html", "review_form.html",
	"ops_disputes.html", "ops_reviews.html", "ops_models.html", "ops_audit.html", "ops_programs.html", "ops_monitoring.html", "erase.html"}

// partials are the templates of blocks some pages share, parsed with
// every page: ops_queue.html holds the operators' queues' filters and
// resolve form.
var partials = []string{"templates/layout.html", "templates/ops_queue.html"}

// parsePages parses every page with the layout and the partials once; a
// template that does not parse is a build mistake, caught by any test.
func parsePages() map[string]*template.Template {
	out := map[string]*template.Template{}
	for _, name := range pageNames {
		t := template.New("layout.html").Funcs(funcs)
		out[name] = template.Must(t.ParseFS(templateFiles, append(partials[:len(partials):len(partials)], "templates/"+name)...))
	}
	return out
}

// funcs are the helpers templates use; the sentences themselves are made
// in Go (format.go), where they are tested.
var funcs = template.FuncMap{
	"date":    humanDate,
	"signed":  signed,
	"percent": percent,
}

// render writes page name with status. The page is rendered into a buffer
// first, so a template error gives a clean 500 instead of half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, p page) {
	var b bytes.Buffer
	if err := s.pages[name].Execute(&b, p); err != nil {
		s.cfg.Logger.ErrorContext(r.Context(), "web: template", "page", name, "error", err.Error())
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b.Bytes())
}

type errorPage struct {
	Heading, Message string
}

// renderError renders the error page; v is the visit when signed in.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, v *visit, status int, heading, message string) {
	p := page{Title: heading, Data: errorPage{heading, message}}
	if v != nil {
		p = v.page(heading, "", p.Data)
	}
	s.render(w, r, status, "error.html", p)
}
