package pgstore

// Migrations lets the tests set a database up at an older schema version.
var Migrations = migrations
