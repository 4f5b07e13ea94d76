/** HostStack: one host's layers wired into a process network from a StackConfig. */
package org.cspstack.protocols.stack;
