'use strict';
// A small NetworkPolicy evaluator (networking.k8s.io/v1 semantics) for the
// built manifests: is a TCP/UDP connection from one endpoint to another
// allowed by the policies of the suite's namespace?
//
// Endpoints are pods ({namespace, labels, ports}) or plain addresses
// ({ip, external: true}). Only the suite's namespace has policies; endpoints
// in other namespaces are unrestricted on their own side. ipBlock peers match
// addresses only, never pods (what the API documents as portable behaviour).

function matchesSelector(selector, labels) {
  if (!selector) return true;
  labels = labels || {};
  for (const [k, v] of Object.entries(selector.matchLabels || {})) {
    if (labels[k] !== v) return false;
  }
  for (const e of selector.matchExpressions || []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const val = labels[e.key];
    switch (e.operator) {
      case 'In': if (!has || !e.values.includes(val)) return false; break;
      case 'NotIn': if (has && e.values.includes(val)) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: throw new Error(`unknown selector operator ${e.operator}`);
    }
  }
  return true;
}

function ipInCidr(ip, cidr) {
  if (ip.includes(':') !== cidr.includes(':')) return false;
  if (ip.includes(':')) return cidr === '::/0';  // the suite uses only ::/0
  const [base, bits] = cidr.split('/');
  const n = Number(bits);
  if (n === 0) return true;
  const toInt = (s) => s.split('.').reduce((acc, o) => (acc * 256) + Number(o), 0);
  const block = 2 ** (32 - n);
  return Math.floor(toInt(ip) / block) === Math.floor(toInt(base) / block);
}

class Cluster {
  // namespaces: {name: labels}; policies: NetworkPolicy objects.
  constructor(namespaces, policies) {
    this.namespaces = namespaces;
    this.policies = policies;
  }

  nsLabels(ns) {
    return {...(this.namespaces[ns] || {}), 'kubernetes.io/metadata.name': ns};
  }

  peerMatches(peer, policyNs, ep) {
    if (peer.ipBlock) {
      if (!ep.external) return false;
      if (!ipInCidr(ep.ip, peer.ipBlock.cidr)) return false;
      return !(peer.ipBlock.except || []).some((c) => ipInCidr(ep.ip, c));
    }
    if (ep.external) return false;
    if (peer.namespaceSelector) {
      if (!matchesSelector(peer.namespaceSelector, this.nsLabels(ep.namespace))) return false;
    } else if (ep.namespace !== policyNs) {
      return false;
    }
    return matchesSelector(peer.podSelector || {}, ep.labels);
  }

  portMatches(ports, dst, port, protocol) {
    if (!ports || ports.length === 0) return true;
    return ports.some((p) => {
      if ((p.protocol || 'TCP') !== protocol) return false;
      if (p.port === undefined) return true;
      let n = p.port;
      if (typeof n === 'string') {
        n = dst.external ? undefined : (dst.ports || {})[n];
        if (n === undefined) return false;
      }
      return p.endPort ? (port >= n && port <= p.endPort) : port === n;
    });
  }

  // Policies of type `type` in the endpoint's namespace that select it.
  selecting(ep, type) {
    if (ep.external) return [];
    return this.policies.filter((p) => p.metadata.namespace === ep.namespace &&
      (p.spec.policyTypes || ['Ingress']).includes(type) &&
      matchesSelector(p.spec.podSelector, ep.labels));
  }

  allowed(src, dst, port, protocol = 'TCP') {
    const egress = this.selecting(src, 'Egress');
    const egressOk = egress.length === 0 || egress.some((p) => (p.spec.egress || []).some((r) =>
      (!r.to || r.to.length === 0 || r.to.some((peer) => this.peerMatches(peer, p.metadata.namespace, dst))) &&
      this.portMatches(r.ports, dst, port, protocol)));
    if (!egressOk) return false;
    const ingress = this.selecting(dst, 'Ingress');
    return ingress.length === 0 || ingress.some((p) => (p.spec.ingress || []).some((r) =>
      (!r.from || r.from.length === 0 || r.from.some((peer) => this.peerMatches(peer, p.metadata.namespace, src))) &&
      this.portMatches(r.ports, dst, port, protocol)));
  }
}

module.exports = {Cluster, matchesSelector};
