package barman

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"

	"github.com/restore-drill/drill/drills/restore/pitr"
)

// store reads one server's backups and WAL under a destinationPath.
type store struct {
	client *minio.Client
	bucket string
	// root is PREFIX/SERVER/ in the bucket.
	root string
}

// backups lists the server's backups, oldest first.
func (s *store) backups(ctx context.Context) ([]pitr.Backup, error) {
	var infos []string
	// Barman Cloud's backup.info may leave size out: the objects say it.
	sizes := map[string]int64{}
	for obj := range s.client.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Prefix: s.root + "base/", Recursive: true}) {
		if obj.Err != nil {
			return nil, obj.Err
		}
		sizes[path.Dir(obj.Key)] += obj.Size
		if path.Base(obj.Key) == "backup.info" {
			infos = append(infos, obj.Key)
		}
	}
	var out []pitr.Backup
	for _, key := range infos {
		info, err := s.readInfo(ctx, key)
		if err != nil {
			return nil, err
		}
		if info.Size <= 0 {
			info.Size = sizes[path.Dir(key)]
		}
		out = append(out, info)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].EndTime.Before(out[j].EndTime) })
	return out, nil
}

func (s *store) readInfo(ctx context.Context, key string) (pitr.Backup, error) {
	obj, err := s.client.GetObject(ctx, s.bucket, key, minio.GetObjectOptions{})
	if err != nil {
		return pitr.Backup{}, err
	}
	defer obj.Close()
	info, err := parseInfo(obj)
	if err != nil {
		return info, fmt.Errorf("read %s: %w", key, err)
	}
	if info.ID == "" {
		info.ID = path.Base(path.Dir(key))
	}
	return info, nil
}

// parseInfo reads barman's key=value backup.info.
func parseInfo(r io.Reader) (pitr.Backup, error) {
	var b pitr.Backup
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), "=")
		if !ok {
			continue
		}
		switch k {
		case "backup_id":
			b.ID = v
		case "status":
			b.Status = v
		case "begin_wal":
			b.BeginWAL = v
		case "end_wal":
			b.EndWAL = v
		case "begin_time":
			b.BeginTime = parseTime(v)
		case "end_time":
			b.EndTime = parseTime(v)
		case "timeline":
			b.Timeline, _ = strconv.Atoi(v)
		case "version":
			b.Version, _ = strconv.Atoi(v)
		case "size":
			b.Size, _ = strconv.ParseInt(v, 10, 64)
		}
	}
	return b, sc.Err()
}

// parseTime reads Python's str() of an aware datetime; zero when it cannot.
func parseTime(v string) time.Time {
	for _, layout := range []string{"2006-01-02 15:04:05.999999-07:00", "2006-01-02 15:04:05-07:00", time.RFC3339Nano} {
		if t, err := time.Parse(layout, v); err == nil {
			return t
		}
	}
	return time.Time{}
}

// wals lists the archived WAL segments: segment name -> when archived.
// History, backup-label and partial files are not segments.
func (s *store) wals(ctx context.Context) (map[string]time.Time, error) {
	out := map[string]time.Time{}
	for obj := range s.client.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Prefix: s.root + "wals/", Recursive: true}) {
		if obj.Err != nil {
			return nil, obj.Err
		}
		name := path.Base(obj.Key)
		if len(name) < 24 || !isHex(name[:24]) || (len(name) > 24 && name[24] != '.') ||
			strings.Contains(name, ".backup") || strings.Contains(name, ".partial") || strings.Contains(name, ".history") {
			continue
		}
		out[name[:24]] = obj.LastModified
	}
	return out, nil
}

func isHex(s string) bool {
	for _, c := range s {
		if !strings.ContainsRune("0123456789ABCDEF", c) {
			return false
		}
	}
	return true
}
