package funcs

import (
	"fmt"
	"math/big"
	"net"
	"net/netip"
	"strconv"
	"strings"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/gocty"
)

// ipnetFuncs returns the CIDR functions.
func ipnetFuncs() map[string]function.Function {
	return map[string]function.Function{
		"cidrhost":    cidrHostFunc,
		"cidrnetmask": cidrNetmaskFunc,
		"cidrsubnet":  cidrSubnetFunc,
		"cidrsubnets": cidrSubnetsFunc,
	}
}

// network is an IP network: its first address as an integer, the address
// size in bits (32 or 128) and the prefix length.
type network struct {
	addr   *big.Int
	bits   int
	length int
	// mapped is set for IPv4-mapped IPv6 prefixes (::ffff:a.b.c.d/n), which
	// Terraform treats as IPv6 prefixes but prints as IPv4 addresses.
	mapped bool
}

// parseCIDR parses a prefix in CIDR notation as Terraform does, which keeps
// the behaviour of Go before 1.17 and so accepts IPv4 octets with leading
// zeros (as decimal). The host bits are cleared.
func parseCIDR(s string) (network, error) {
	addrPart, lenPart, ok := strings.Cut(s, "/")
	if !ok {
		return network{}, fmt.Errorf("invalid CIDR address: %s", s)
	}
	var n network
	var ip []byte
	if ip4, ok := parseIPv4(addrPart); ok {
		ip, n.bits = ip4, 32
	} else if a, err := netip.ParseAddr(addrPart); err == nil && a.Is6() && a.Zone() == "" {
		b := a.As16()
		ip, n.bits, n.mapped = b[:], 128, a.Is4In6()
	} else {
		return network{}, fmt.Errorf("invalid CIDR address: %s", s)
	}
	length, ok := decimal(lenPart)
	if !ok || length > n.bits {
		return network{}, fmt.Errorf("invalid CIDR address: %s", s)
	}
	n.length = length
	n.addr = new(big.Int).SetBytes(ip)
	hostBits := n.bits - n.length
	n.addr.Rsh(n.addr, uint(hostBits)).Lsh(n.addr, uint(hostBits))
	return n, nil
}

// parseIPv4 parses a dotted-quad IPv4 address whose octets may have leading
// zeros.
func parseIPv4(s string) ([]byte, bool) {
	parts := strings.Split(s, ".")
	if len(parts) != 4 {
		return nil, false
	}
	ip := make([]byte, 4)
	for i, p := range parts {
		v, ok := decimal(p)
		if !ok || v > 255 {
			return nil, false
		}
		ip[i] = byte(v)
	}
	return ip, true
}

// decimal parses a non-empty run of decimal digits with a value below 1<<16.
func decimal(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	v := 0
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
		if v >= 1<<16 {
			return 0, false
		}
	}
	return v, true
}

// size returns the number of addresses in a prefix of the given length.
func (n network) size(length int) *big.Int {
	return new(big.Int).Lsh(big.NewInt(1), uint(n.bits-length))
}

// ip formats an address of the network's family as Terraform (Go's net.IP)
// does.
func (n network) ip(addr *big.Int) string {
	b := make([]byte, n.bits/8)
	addr.FillBytes(b)
	return net.IP(b).String()
}

// prefix formats the prefix of the given length starting at addr.
func (n network) prefix(addr *big.Int, length int) string {
	return n.ip(addr) + "/" + strconv.Itoa(length)
}

// family names the network's address family for error messages.
func (n network) family() string {
	if n.bits == 32 {
		return "IPv4"
	}
	return "IPv6"
}

// bigIntArg converts a number argument to an integer.
func bigIntArg(args []cty.Value, i int) (*big.Int, error) {
	var v *big.Int
	if err := gocty.FromCtyValue(args[i], &v); err != nil {
		return nil, function.NewArgError(i, err)
	}
	return v, nil
}

// intArg converts a number argument to an int.
func intArg(args []cty.Value, i int) (int, error) {
	var v int
	if err := gocty.FromCtyValue(args[i], &v); err != nil {
		return 0, function.NewArgError(i, err)
	}
	return v, nil
}

func prefixArg(args []cty.Value) (network, error) {
	n, err := parseCIDR(args[0].AsString())
	if err != nil {
		return network{}, function.NewArgError(0, fmt.Errorf("invalid CIDR expression: %w", err))
	}
	return n, nil
}

// cidrHostFunc is cidrhost(prefix, hostnum): the address numbered hostnum in
// the prefix; negative numbers count back from the last address.
var cidrHostFunc = function.New(&function.Spec{
	Description: "Returns the address with the given host number in a prefix.",
	Params: []function.Parameter{
		{Name: "prefix", Type: cty.String},
		{Name: "hostnum", Type: cty.Number},
	},
	Type:         function.StaticReturnType(cty.String),
	RefineResult: refineNotNull,
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		n, err := prefixArg(args)
		if err != nil {
			return cty.NilVal, err
		}
		num, err := bigIntArg(args, 1)
		if err != nil {
			return cty.NilVal, err
		}
		size := n.size(n.length)
		host := new(big.Int).Set(num)
		if host.Sign() < 0 {
			host.Add(host, size)
		}
		if host.Sign() < 0 || host.Cmp(size) >= 0 {
			return cty.NilVal, function.NewArgErrorf(1, "prefix of %d bits cannot accommodate a host numbered %s", n.length, num)
		}
		return cty.StringVal(n.ip(host.Add(host, n.addr))), nil
	},
})

// cidrNetmaskFunc is cidrnetmask(prefix): the dotted netmask of an IPv4
// prefix.
var cidrNetmaskFunc = function.New(&function.Spec{
	Description:  "Returns the subnet mask of an IPv4 prefix.",
	Params:       []function.Parameter{{Name: "prefix", Type: cty.String}},
	Type:         function.StaticReturnType(cty.String),
	RefineResult: refineNotNull,
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		n, err := prefixArg(args)
		if err != nil {
			return cty.NilVal, err
		}
		if n.bits != 32 && !n.mapped {
			return cty.NilVal, function.NewArgErrorf(0, "IPv6 addresses cannot have a netmask: %s", args[0].AsString())
		}
		return cty.StringVal(net.IP(net.CIDRMask(n.length, n.bits)).String()), nil
	},
})

// cidrSubnetFunc is cidrsubnet(prefix, newbits, netnum): the netnum-th
// subnet of the prefix extended by newbits bits.
var cidrSubnetFunc = function.New(&function.Spec{
	Description: "Returns a subnet of a prefix.",
	Params: []function.Parameter{
		{Name: "prefix", Type: cty.String},
		{Name: "newbits", Type: cty.Number},
		{Name: "netnum", Type: cty.Number},
	},
	Type:         function.StaticReturnType(cty.String),
	RefineResult: refineNotNull,
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		n, err := prefixArg(args)
		if err != nil {
			return cty.NilVal, err
		}
		newbits, err := intArg(args, 1)
		if err != nil {
			return cty.NilVal, err
		}
		num, err := bigIntArg(args, 2)
		if err != nil {
			return cty.NilVal, err
		}
		if newbits < 0 {
			return cty.NilVal, function.NewArgErrorf(1, "newbits must not be negative")
		}
		length := n.length + newbits
		if newbits > n.bits || length > n.bits {
			return cty.NilVal, function.NewArgErrorf(1, "insufficient address space to extend prefix of %d by %d", n.length, newbits)
		}
		if num.Sign() < 0 || num.Cmp(new(big.Int).Lsh(big.NewInt(1), uint(newbits))) >= 0 {
			return cty.NilVal, function.NewArgErrorf(2, "prefix extension of %d does not accommodate a subnet numbered %s", newbits, num)
		}
		addr := new(big.Int).Mul(num, n.size(length))
		return cty.StringVal(n.prefix(addr.Add(addr, n.addr), length)), nil
	},
})

// cidrSubnetsFunc is cidrsubnets(prefix, newbits...): consecutive subnets of
// the prefix, each extending it by the corresponding number of bits and
// aligned to its own size.
var cidrSubnetsFunc = function.New(&function.Spec{
	Description:  "Returns consecutive subnets of a prefix with the given numbers of additional bits.",
	Params:       []function.Parameter{{Name: "prefix", Type: cty.String}},
	VarParam:     &function.Parameter{Name: "newbits", Type: cty.Number},
	Type:         function.StaticReturnType(cty.List(cty.String)),
	RefineResult: refineNotNull,
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		n, err := prefixArg(args)
		if err != nil {
			return cty.NilVal, err
		}
		if len(args) == 1 {
			return cty.ListValEmpty(cty.String), nil
		}
		end := new(big.Int).Add(n.addr, n.size(n.length))
		next := new(big.Int).Set(n.addr) // first address not yet allocated
		last := n.prefix(n.addr, n.length)
		out := make([]cty.Value, 0, len(args)-1)
		for i := 1; i < len(args); i++ {
			newbits, err := intArg(args, i)
			if err != nil {
				return cty.NilVal, err
			}
			switch {
			case newbits < 1:
				return cty.NilVal, function.NewArgErrorf(i, "must extend prefix by at least one bit")
			case newbits > 32:
				return cty.NilVal, function.NewArgErrorf(i, "may not extend prefix by more than 32 bits")
			case n.length+newbits > n.bits:
				return cty.NilVal, function.NewArgErrorf(i, "would extend prefix to %d bits, which is too long for an %s address", n.length+newbits, n.family())
			}
			length := n.length + newbits
			size := n.size(length)
			// Round up to the subnet's own alignment.
			start := new(big.Int).Add(next, size)
			start.Sub(start, big.NewInt(1))
			start.Div(start, size).Mul(start, size)
			next = new(big.Int).Add(start, size)
			if next.Cmp(end) > 0 {
				return cty.NilVal, function.NewArgErrorf(i, "not enough remaining address space for a subnet with a prefix of %d bits after %s", length, last)
			}
			last = n.prefix(start, length)
			out = append(out, cty.StringVal(last))
		}
		return cty.ListVal(out), nil
	},
})
