package vectors

import (
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
)

// The embedded vectors are several megabytes of YAML, and parsing them is
// most of what conform does before its first case. The result of a checked
// load is therefore kept in the user's cache directory, keyed by a hash of
// the embedded files and of the Go types they load into: the same bytes,
// read by the same code, check the same way, so a later start reads the
// cache instead (like Go's build cache). Anything wrong with the cache
// means it is not used.

// cacheKey hashes every embedded file with its name and the shape of the
// types a load produces.
func cacheKey(fsys fs.FS) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "sigconform vectors cache 1\n%s\n", typeShape(reflect.TypeFor[File](), map[reflect.Type]bool{}))
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s %d\n", p, len(b))
		h.Write(b)
		return nil
	})
	if err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)[:16]), nil
}

// typeShape writes out t's fields, recursively, so that a change to the
// types changes the key.
func typeShape(t reflect.Type, seen map[reflect.Type]bool) string {
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice:
		return t.Kind().String() + " " + typeShape(t.Elem(), seen)
	case reflect.Struct:
		if seen[t] {
			return t.String()
		}
		seen[t] = true
		var b strings.Builder
		b.WriteString(t.String() + "{")
		for i := range t.NumField() {
			f := t.Field(i)
			fmt.Fprintf(&b, "%s %s;", f.Name, typeShape(f.Type, seen))
		}
		b.WriteString("}")
		return b.String()
	}
	return t.String()
}

func cachePath(key string) (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "sigconform", "vectors-"+key+".gob"), nil
}

// loadCached returns the set cached for the files in fsys, if there is one.
func loadCached(key string) (*Set, bool) {
	path, err := cachePath(key)
	if err != nil {
		return nil, false
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, false
	}
	var files []*File
	if err := gob.NewDecoder(bytes.NewReader(b)).Decode(&files); err != nil {
		return nil, false
	}
	set := &Set{Files: files, byID: map[string]*Case{}}
	for _, f := range files {
		for i := range f.Cases {
			set.byID[f.Cases[i].ID] = &f.Cases[i]
		}
	}
	return set, true
}

// saveCache keeps set for the next start. Failing to is not an error: the
// next start parses the files again.
func saveCache(key string, set *Set) {
	path, err := cachePath(key)
	if err != nil {
		return
	}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(set.Files); err != nil {
		return
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return
	}
	// Write then rename, so that a concurrent start never reads half a file.
	tmp, err := os.CreateTemp(filepath.Dir(path), "vectors-*.tmp")
	if err != nil {
		return
	}
	_, werr := tmp.Write(buf.Bytes())
	cerr := tmp.Close()
	if werr != nil || cerr != nil || os.Rename(tmp.Name(), path) != nil {
		os.Remove(tmp.Name())
	}
}

// loadEmbedded loads the embedded files, from the cache when it holds them.
func loadEmbedded() (*Set, error) {
	key, err := cacheKey(embedded)
	if err == nil {
		if set, ok := loadCached(key); ok {
			return set, nil
		}
	}
	set, err := Load(embedded)
	if err == nil && key != "" {
		saveCache(key, set)
	}
	return set, err
}
