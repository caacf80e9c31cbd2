package demo

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/opencredit/opencredit/simulate"
	"github.com/opencredit/opencredit/web"
)

// WriteGuide prints what to open and which keys to use, for the demo
// served at url.
func (d *Demo) WriteGuide(w io.Writer, url string) {
	dir, keys, people := d.Dir, d.Keys, d.People
	var b strings.Builder
	fmt.Fprintf(&b, "\nOpenCredit demo: %s  (data in %s; Ctrl-C stops it)\n", url, dir)
	fmt.Fprintf(&b, "Start with a person's own pages (score, reasons, what-if, data): open a link in a browser. Each works once,\nwithin %d minutes; after that, sign in at %s/signin with the person's key (PERSON1... below).\n", int(web.DefaultLinkTTL.Minutes()), url)
	for k, p := range people {
		if p.SignIn != "" {
			fmt.Fprintf(&b, "  PERSON%d: %s%s\n", k+1, url, p.SignIn)
		}
	}
	b.WriteString("\n")
	fmt.Fprintf(&b, "Every key below is for this demo only. They are also in %s, for: source %s\n\n", filepath.Join(dir, "demo.env"), filepath.Join(dir, "demo.env"))
	fmt.Fprintf(&b, "  LENDER=%s     # %s: credit_application, account_review, rental_deposit_waiver\n", keys[Lender], Lender)
	fmt.Fprintf(&b, "  OPERATOR=%s   # %s: model, programs, audit log, metrics\n", keys[Operator], Operator)
	fmt.Fprintf(&b, "  (the operators' pages, with OPERATOR's key at %s/signin: dispute and review queues, models and their cards, audit log, programs)\n", url)
	for k, p := range people {
		fmt.Fprintf(&b, "  PERSON%d=%s    # subject %s (score %d now): %s\n", k+1, p.Key, p.ID, p.Score, p.Why)
	}
	p1 := people[0].ID
	declined := p1
	if len(people) > 1 {
		declined = people[1].ID
	}
	fmt.Fprintf(&b, "\nA score with its reasons (the lender holds these people's consent, and no one else's):\n")
	fmt.Fprintf(&b, "  curl -s -H \"Authorization: Bearer $LENDER\" '%s/v1/subjects/%s/score?purpose=rental_deposit_waiver'\n", url, declined)
	fmt.Fprintf(&b, "A decision, and for a decline its adverse-action notice (add -H 'Accept: text/html' > notice.html for the printable page):\n")
	fmt.Fprintf(&b, "  curl -s -H \"Authorization: Bearer $LENDER\" -d '{\"subject\":\"%s\",\"program\":\"bike-deposit-free\"}' %s/v1/decisions\n", declined, url)
	fmt.Fprintf(&b, "A refused purpose, and a person the lender has no consent for:\n")
	fmt.Fprintf(&b, "  curl -s -H \"Authorization: Bearer $LENDER\" '%s/v1/subjects/%s/score?purpose=employment'\n", url, p1)
	fmt.Fprintf(&b, "  curl -s -H \"Authorization: Bearer $LENDER\" '%s/v1/subjects/%s/score?purpose=credit_application'\n", url, simulate.SubjectID(Candidates))
	fmt.Fprintf(&b, "A person's own data and score:\n")
	fmt.Fprintf(&b, "  curl -s -H \"Authorization: Bearer $PERSON1\" %s/v1/subjects/%s/data\n", url, p1)
	fmt.Fprintf(&b, "  curl -s -H \"Authorization: Bearer $PERSON1\" '%s/v1/subjects/%s/score?purpose=subject_self_access'\n", url, p1)
	fmt.Fprintf(&b, "Who asked for what (the audit log), and the model:\n")
	fmt.Fprintf(&b, "  curl -s -H \"Authorization: Bearer $OPERATOR\" %s/v1/audit/records\n", url)
	fmt.Fprintf(&b, "  curl -s -H \"Authorization: Bearer $OPERATOR\" %s/v1/model\n", url)
	fmt.Fprintf(&b, "The API: %s/openapi.yaml; the model's report: %s\n", url, filepath.Join(dir, "model.html"))
	fmt.Fprintf(&b, "After stopping (with --dir): opencredit audit verify --db %s --vkey %s\n",
		filepath.Join(dir, "audit.db"), filepath.Join(dir, "keys", "audit.vkey"))
	io.WriteString(w, b.String())
}

// WriteEnv writes the URL and the keys as shell variables to demo.env in
// the demo's directory.
func (d *Demo) WriteEnv(url string) error {
	keys, people := d.Keys, d.People
	var b strings.Builder
	fmt.Fprintf(&b, "OPENCREDIT_URL=%s\nLENDER=%s\nOPERATOR=%s\nFURNISHER=%s\n", url, keys[Lender], keys[Operator], keys[simulate.FurnisherIDs()[0]])
	for k, p := range people {
		fmt.Fprintf(&b, "PERSON%d=%s\nPERSON%d_ID=%s\n", k+1, p.Key, k+1, p.ID)
	}
	return os.WriteFile(filepath.Join(d.Dir, "demo.env"), []byte(b.String()), 0o600)
}
