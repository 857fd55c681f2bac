package pgbackrest

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/restore-drill/drill/drills/restore/pitr"
)

// stanzaInfo is the part of `pgbackrest info --output=json` drill reads.
type stanzaInfo struct {
	Name   string `json:"name"`
	Status struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"status"`
	DB []struct {
		ID      int    `json:"id"`
		Version string `json:"version"`
	} `json:"db"`
	Backup []struct {
		Label     string `json:"label"`
		Error     bool   `json:"error"`
		Timestamp struct {
			Start int64 `json:"start"`
			Stop  int64 `json:"stop"`
		} `json:"timestamp"`
		Archive struct {
			Start string `json:"start"`
			Stop  string `json:"stop"`
		} `json:"archive"`
		Info struct {
			Size int64 `json:"size"`
		} `json:"info"`
		Database struct {
			ID int `json:"id"`
		} `json:"database"`
	} `json:"backup"`
}

// errInfoNotJSON is info's output when it is not JSON: what pgbackrest
// writes for an encrypted repository read with a wrong passphrase.
var errInfoNotJSON = errors.New("pgbackrest info --output=json wrote no JSON")

// statusOther is pgBackRest's stanza status code 99, "other": the
// repository could not be read (an encrypted one read with a wrong
// passphrase says this instead of writing no JSON, depending on what the
// wrong key made of its files).
const statusOther = 99

// errStanzaUnreadable is a stanza whose status is "other".
var errStanzaUnreadable = errors.New("pgbackrest info could not read the stanza (status other)")

// backups turns info into the backups it lists; status is its message
// when the stanza is not usable (code 0 is ok).
func backups(out []byte) ([]pitr.Backup, error) {
	var infos []stanzaInfo
	if err := json.Unmarshal(out, &infos); err != nil {
		return nil, errInfoNotJSON
	}
	if len(infos) != 1 {
		return nil, fmt.Errorf("pgbackrest info lists %d stanzas, want 1", len(infos))
	}
	in := infos[0]
	if in.Status.Code == statusOther && len(in.Backup) == 0 {
		return nil, fmt.Errorf("stanza %s: %s: %w", in.Name, in.Status.Message, errStanzaUnreadable)
	}
	if in.Status.Code != 0 && len(in.Backup) == 0 {
		return nil, fmt.Errorf("stanza %s: %s", in.Name, in.Status.Message)
	}
	versions := map[int]int{}
	for _, db := range in.DB {
		major, _ := strconv.Atoi(strings.Split(db.Version, ".")[0])
		versions[db.ID] = major * 10000
	}
	var out2 []pitr.Backup
	for _, b := range in.Backup {
		status := "DONE"
		if b.Error {
			status = "ERROR"
		}
		out2 = append(out2, pitr.Backup{
			ID: b.Label, Status: status, BeginWAL: b.Archive.Start, EndWAL: b.Archive.Stop,
			BeginTime: time.Unix(b.Timestamp.Start, 0), EndTime: time.Unix(b.Timestamp.Stop, 0),
			Version: versions[b.Database.ID], Size: b.Info.Size,
		})
	}
	return out2, nil
}
