// Package restore defines what a restore method is. Each method (postgres
// today) lives in its own sub-package behind the Method interface, so the
// engine neither knows nor cares how data comes back.
package restore
