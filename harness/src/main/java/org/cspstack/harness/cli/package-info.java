/** The command line: run, ping, demo (picocli). */
package org.cspstack.harness.cli;
