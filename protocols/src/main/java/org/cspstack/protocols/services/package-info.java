/** The classic small services (echo, discard, chargen) as application processes of the network. */
package org.cspstack.protocols.services;
