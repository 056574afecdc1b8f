package vectorgencmd

import (
	"sync"

	"github.com/sigconform/sigconform/vectors"
)

// One run of vectorgen reads every vector file in several places (the id
// lock, the corpus version, the README's counts); parsing each once is most
// of what makes vectorgen quick. parsed keeps what vectors.Parse returned
// for a name and its exact bytes, so that different bytes under the same
// name (another directory in a test, a file vectorgen rewrote) parse again.
// Callers must not change the files it returns.
var parsed struct {
	sync.Mutex
	files map[string]parsedFile
}

type parsedFile struct {
	data string
	file *vectors.File
	err  error
}

// parse is vectors.Parse, remembered.
func parse(name string, data []byte) (*vectors.File, error) {
	parsed.Lock()
	defer parsed.Unlock()
	if p, ok := parsed.files[name]; ok && p.data == string(data) {
		return p.file, p.err
	}
	f, err := vectors.Parse(name, data)
	if parsed.files == nil {
		parsed.files = map[string]parsedFile{}
	}
	parsed.files[name] = parsedFile{string(data), f, err}
	return f, err
}
