package opencredit

import (
	"strings"
	"testing"
	"time"
)

func TestConsentValidate(t *testing.T) {
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	ok := Consent{Subject: "s1", Counterparty: "bank-7", Purpose: PurposeFurnishing, GrantedAt: at}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	early := time.Date(1800, 1, 1, 0, 0, 0, 0, time.UTC)
	for want, c := range map[string]Consent{
		"consent subject is empty":           {Counterparty: "b", Purpose: PurposeFurnishing, GrantedAt: at},
		"counterparty is longer":             {Subject: "s", Counterparty: strings.Repeat("b", 201), Purpose: PurposeFurnishing, GrantedAt: at},
		"non-printable":                      {Subject: "s\x00", Counterparty: "b", Purpose: PurposeFurnishing, GrantedAt: at},
		`purpose "employment" is not one of`: {Subject: "s", Counterparty: "b", Purpose: "employment", GrantedAt: at},
		"grant time":                         {Subject: "s", Counterparty: "b", Purpose: PurposeFurnishing},
		"withdrawal time":                    {Subject: "s", Counterparty: "b", Purpose: PurposeFurnishing, GrantedAt: at, WithdrawnAt: &early},
	} {
		err := c.Validate()
		if ErrorCode(err) != EINVALID || !strings.Contains(err.Error(), want) {
			t.Errorf("%+v: %v, want an invalid error containing %q", c, err, want)
		}
	}
	if !ok.Active(at) || ok.Active(at.Add(-time.Second)) {
		t.Error("Active around the grant time")
	}
}
