package assertions

import (
	"errors"
	"fmt"
	"strings"

	"github.com/restore-drill/drill/scenarios"
)

// New builds the check for a scenario check's kind. The scenario is expected
// to be validated already; New still refuses a check it cannot run, naming
// it, so that a bad check never reaches a restored database.
func New(c scenarios.Check) (Check, error) {
	switch c.Kind() {
	case scenarios.CheckSQL:
		return newSQLCheck(c.Name, c.Timeout, *c.SQL)
	case scenarios.CheckRPO:
		return newRPOCheck(c.Name, c.Timeout, *c.RPO)
	case "":
		return nil, fmt.Errorf("check %s: no kind set: give it one of sql or rpo", c.Name)
	default:
		return nil, fmt.Errorf("check %s: kind %s is not supported yet: use sql or rpo", c.Name, c.Kind())
	}
}

var errNoQuery = errors.New("query is empty: write the SQL statement the check runs")

func checkQuery(name, query string) error {
	if strings.TrimSpace(query) == "" {
		return fmt.Errorf("check %s: %w", name, errNoQuery)
	}
	return nil
}
