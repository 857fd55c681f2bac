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
)

// backupInfo is what a backup's backup.info says about it.
type backupInfo struct {
	ID                 string
	Status             string
	BeginWAL, EndWAL   string
	BeginTime, EndTime time.Time
	Timeline           int
	// Version is the server's version number, e.g. 150004.
	Version int
	Size    int64
}

// serverVersion turns 150004 into "15.4".
func (b backupInfo) serverVersion() string {
	if b.Version <= 0 {
		return ""
	}
	return fmt.Sprintf("%d.%d", b.Version/10000, b.Version%10000)
}

// store reads one server's backups and WAL under a destinationPath.
type store struct {
	client *minio.Client
	bucket string
	// root is PREFIX/SERVER/ in the bucket.
	root string
}

// backups lists the server's backups, oldest first.
func (s *store) backups(ctx context.Context) ([]backupInfo, error) {
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
	var out []backupInfo
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

func (s *store) readInfo(ctx context.Context, key string) (backupInfo, error) {
	obj, err := s.client.GetObject(ctx, s.bucket, key, minio.GetObjectOptions{})
	if err != nil {
		return backupInfo{}, err
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
func parseInfo(r io.Reader) (backupInfo, error) {
	var b backupInfo
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

// nextSegment is the segment after seg (16 MB segments: the low part runs
// from 00000000 to 000000FF).
func nextSegment(seg string) string {
	tli, hi, lo := seg[:8], seg[8:16], seg[16:24]
	h, _ := strconv.ParseUint(hi, 16, 32)
	l, _ := strconv.ParseUint(lo, 16, 32)
	if l >= 0xFF {
		h, l = h+1, 0
	} else {
		l++
	}
	return fmt.Sprintf("%s%08X%08X", tli, h, l)
}
