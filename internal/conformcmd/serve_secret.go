package conformcmd

import (
	"errors"
	"fmt"
	"os"
	"strings"
)

// liveSecret reads the secret key for serve and probe from an environment
// variable or a file (never the command line), as explain does.
func liveSecret(env, file string) (string, error) {
	switch {
	case env != "" && file != "":
		return "", errors.New("give -secret-env or -secret-file, not both")
	case env != "":
		v, ok := os.LookupEnv(env)
		if !ok || v == "" {
			return "", fmt.Errorf("the environment variable %s is not set", env)
		}
		return v, nil
	case file != "":
		b, err := os.ReadFile(file)
		if err != nil {
			return "", err
		}
		v := strings.TrimRight(string(b), "\r\n")
		if v == "" {
			return "", fmt.Errorf("%s is empty", file)
		}
		return v, nil
	}
	return "", errors.New("give the secret key with -secret-env NAME or -secret-file PATH (never on the command line)")
}
