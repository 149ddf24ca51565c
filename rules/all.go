package rules

// All returns every rule s3lint has; this list is the one place rules are
// registered.
func All() []Rule {
	return []Rule{
		S3L010,
		S3L011,
		S3L012,
		S3L013,
		S3L014,
		S3L015,
		S3L016,
		S3L017,
		S3L018,
		S3L020,
		S3L021,
		S3L022,
		S3L030,
		S3L031,
		S3L032,
		S3L033,
		S3L034,
		S3L040,
		S3L041,
		S3L042,
		S3L043,
		S3L044,
		S3L050,
		S3L051,
		S3L060,
		S3L061,
		S3L070,
		S3L080,
		S3L081,
		S3L082,
		S3L083,
		S3L090,
		S3L091,
		S3L100,
	}
}
