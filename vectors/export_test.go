package vectors

var lastCached bool

// LoadEmbeddedForTest runs the uncached-once load path again.
func LoadEmbeddedForTest() (*Set, error) {
	key, err := cacheKey(embedded)
	if err != nil {
		return nil, err
	}
	if set, ok := loadCached(key); ok {
		lastCached = true
		return set, nil
	}
	lastCached = false
	return loadEmbedded()
}

func LastLoadWasCached() bool { return lastCached }
