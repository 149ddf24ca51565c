package tfplan

import (
	"github.com/s3lint/s3lint/graph"
)

// Settings in the overlay: a plan's bucket settings, account Block Public
// Access, access points and endpoint details take the places of their
// twins in the configuration — the same kind of setting declared by the
// same resource (the bucket itself for inline arguments) — value by value.
// A setting without a twin keeps its places in the plan.

// settingKey names a setting: its configuration, its kind and the
// resource that declares it.
type settingKey struct{ root, kind, address string }

// eachSetting calls fn for every setting of a graph, with the root of the
// entity that holds it.
func eachSetting(g *graph.Graph, fn func(root, kind, address string, s any)) {
	link := func(root string, s *graph.SettingLink) {
		switch {
		case s.PublicAccessBlock != nil:
			fn(root, "public access block", s.PublicAccessBlock.Address, s.PublicAccessBlock)
		case s.Ownership != nil:
			fn(root, "ownership", s.Ownership.Address, s.Ownership)
		case s.ACL != nil:
			fn(root, "acl", s.ACL.Address, s.ACL)
		case s.ObjectACL != nil:
			fn(root, "object acl", s.ObjectACL.Address, s.ObjectACL)
		case s.Upload != nil:
			fn(root, "upload", s.Upload.Address, s.Upload)
		case s.Versioning != nil:
			fn(root, "versioning", s.Versioning.Address, s.Versioning)
		case s.Encryption != nil:
			fn(root, "encryption", s.Encryption.Address, s.Encryption)
		case s.Lifecycle != nil:
			fn(root, "lifecycle", s.Lifecycle.Address, s.Lifecycle)
		case s.RequestPayment != nil:
			fn(root, "request payment", s.RequestPayment.Address, s.RequestPayment)
		case s.Website != nil:
			fn(root, "website", s.Website.Address, s.Website)
		}
	}
	for _, b := range g.Buckets {
		if b.PublicAccessBlock != nil {
			link(b.Root, &graph.SettingLink{PublicAccessBlock: b.PublicAccessBlock})
		}
		if b.Ownership != nil {
			link(b.Root, &graph.SettingLink{Ownership: b.Ownership})
		}
		for _, acl := range b.ACLs {
			link(b.Root, &graph.SettingLink{ACL: acl})
		}
		for _, acl := range b.ObjectACLs {
			link(b.Root, &graph.SettingLink{ObjectACL: acl})
		}
		for _, u := range b.Uploads {
			link(b.Root, &graph.SettingLink{Upload: u})
		}
		if b.Versioning != nil {
			link(b.Root, &graph.SettingLink{Versioning: b.Versioning})
		}
		if b.Encryption != nil {
			link(b.Root, &graph.SettingLink{Encryption: b.Encryption})
		}
		if b.Lifecycle != nil {
			link(b.Root, &graph.SettingLink{Lifecycle: b.Lifecycle})
		}
		if b.RequestPayment != nil {
			link(b.Root, &graph.SettingLink{RequestPayment: b.RequestPayment})
		}
		if b.Website != nil {
			link(b.Root, &graph.SettingLink{Website: b.Website})
		}
	}
	for _, s := range g.SettingLinks {
		link(s.Root, s)
	}
	for _, a := range g.AccountBlocks {
		fn(a.Root, "account public access block", a.Address, a)
	}
	for _, a := range g.AccessPoints {
		fn(a.Root, "access point", a.Address, a)
	}
	for _, e := range g.Endpoints {
		fn(e.Root, "endpoint", e.Address, e)
	}
}

// relocateSettings moves the settings of plans of covered roots to the
// places of their twins in the configuration.
func relocateSettings(cfg, plans *graph.Graph, covered map[string]bool) {
	twins := map[settingKey]any{}
	eachSetting(cfg, func(root, kind, address string, s any) {
		if !covered[root] {
			return
		}
		k := settingKey{root, kind, address}
		if _, dup := twins[k]; !dup {
			twins[k] = s
		}
	})
	eachSetting(cfg, func(root, kind, address string, s any) {
		if !covered[root] {
			return
		}
		k := settingKey{root, kind, configAddress(address)}
		if _, dup := twins[k]; !dup {
			twins[k] = s
		}
	})
	eachSetting(plans, func(root, kind, address string, s any) {
		if !covered[root] {
			return
		}
		twin, ok := twins[settingKey{root, kind, address}]
		if !ok {
			if twin, ok = twins[settingKey{root, kind, configAddress(address)}]; !ok {
				return
			}
		}
		relocateSetting(s, twin)
	})
}

// place moves a value to its twin's place.
func place[T any](mine *graph.Value[T], twin graph.Value[T]) { mine.Range = twin.Range }

// relocateSetting moves a setting's values to their twins' places; t is
// of the same type as s.
func relocateSetting(s, t any) {
	switch m := s.(type) {
	case *graph.PublicAccessBlock:
		relocatePAB(m, t.(*graph.PublicAccessBlock))
	case *graph.Ownership:
		t := t.(*graph.Ownership)
		m.Range = t.Range
		place(&m.Rule.Value, t.Rule.Value)
	case *graph.Upload:
		t := t.(*graph.Upload)
		m.Range = t.Range
		place(&m.Key.Value, t.Key.Value)
		place(&m.SSE.Value, t.SSE.Value)
	case *graph.ACL:
		t := t.(*graph.ACL)
		m.Range = t.Range
		place(&m.Canned.Value, t.Canned.Value)
		place(&m.Key.Value, t.Key.Value)
		for i := range m.Grants {
			g := &m.Grants[i]
			tg := graph.Grant{Range: t.Range}
			tg.Type.Range, tg.ID.Range, tg.URI.Range, tg.Email.Range, tg.Permission.Range = t.Range, t.Range, t.Range, t.Range, t.Range
			if i < len(t.Grants) {
				tg = t.Grants[i]
			}
			g.Range = tg.Range
			place(&g.Type.Value, tg.Type.Value)
			place(&g.ID.Value, tg.ID.Value)
			place(&g.URI.Value, tg.URI.Value)
			place(&g.Email.Value, tg.Email.Value)
			place(&g.Permission.Value, tg.Permission.Value)
		}
	case *graph.Versioning:
		t := t.(*graph.Versioning)
		m.Range = t.Range
		place(&m.Status.Value, t.Status.Value)
		place(&m.MFADelete.Value, t.MFADelete.Value)
	case *graph.Encryption:
		t := t.(*graph.Encryption)
		m.Range = t.Range
		place(&m.Algorithm.Value, t.Algorithm.Value)
		place(&m.KeyID.Value, t.KeyID.Value)
		place(&m.BucketKey.Value, t.BucketKey.Value)
	case *graph.Setting:
		m.Range = t.(*graph.Setting).Range
	case *graph.RequestPayment:
		t := t.(*graph.RequestPayment)
		m.Range = t.Range
		place(&m.Payer.Value, t.Payer.Value)
	case *graph.AccountPublicAccessBlock:
		t := t.(*graph.AccountPublicAccessBlock)
		place(&m.AccountID.Value, t.AccountID.Value)
		relocatePAB(&m.PublicAccessBlock, &t.PublicAccessBlock)
	case *graph.AccessPoint:
		t := t.(*graph.AccessPoint)
		place(&m.Name.Value, t.Name.Value)
		place(&m.ARN.Value, t.ARN.Value)
		place(&m.BucketRef.Value, t.BucketRef.Value)
		place(&m.VpcID.Value, t.VpcID.Value)
		if m.PublicAccessBlock != nil && t.PublicAccessBlock != nil {
			relocatePAB(m.PublicAccessBlock, t.PublicAccessBlock)
		}
	case *graph.Endpoint:
		t := t.(*graph.Endpoint)
		place(&m.Type.Value, t.Type.Value)
		place(&m.VpcID.Value, t.VpcID.Value)
	}
}

func relocatePAB(m, t *graph.PublicAccessBlock) {
	m.Range = t.Range
	place(&m.BlockPublicAcls.Value, t.BlockPublicAcls.Value)
	place(&m.IgnorePublicAcls.Value, t.IgnorePublicAcls.Value)
	place(&m.BlockPublicPolicy.Value, t.BlockPublicPolicy.Value)
	place(&m.RestrictPublicBuckets.Value, t.RestrictPublicBuckets.Value)
}
