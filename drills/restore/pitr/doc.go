// Package pitr holds what every point-in-time restore method shares: the
// choice of a base backup for a recovery target, the proof that the WAL
// archive holds every segment from that backup to the target, and the
// proof, from the promoted server and its log, that recovery stopped where
// it was asked to.
package pitr
